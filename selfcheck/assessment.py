"""The self-check: which phase fits a municipality, given the milestones it has reached.

Rule (also explained on the self-check page):

* Only the phases of the roadmap's sequence take part: the published top-level
  phases (P1–P5) in their order. Cross-phase groups („Durchgehend“) are left out,
  because their criteria apply in every phase and say nothing about progress.
* The recommended phase is the earliest phase whose *municipal* milestones are not
  all reached. A decision point (continue / adapt / stop at the end of a phase) is
  something the administration must decide, so it counts like a municipal milestone.
  Additional milestones are shown and counted as done, but never decide the phase.
  A phase without municipal milestones cannot hold a team back.
* If every municipal milestone is reached, the last phase is recommended and the
  result says that all municipal milestones are reached.

„Most important criteria for the next step“: the published criteria that the
roadmap links to the still open municipal milestones of the recommended phase
(if all municipal ones are reached: to its open additional milestones), the
criteria supporting most open milestones first. If no criterion is linked to
those milestones, the criteria that apply from the recommended phase on. They are
grouped by workstream; a criterion with several workstreams is listed once, under
the first of them.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Count

from phases.models import Criterion, Milestone, Phase, Workstream

ANSWER_PARAM = "erreicht"
# A real answer list is at most a few dozen slugs; anything longer is not worth reading.
MAX_ANSWERS = 500


def sequence_phases():
    """The published top-level phases that form the roadmap's sequence, in order."""
    return Phase.objects.public().groups().filter(is_cross_phase=False)


def sequence_milestones():
    """Public milestones hanging on sequence phases, in roadmap order."""
    return (
        Milestone.objects.public()
        .filter(phase__parent__isnull=True, phase__is_cross_phase=False)
        .select_related_for_links("phase")  # for get_absolute_url()
    )


# Kinds that decide the recommended phase; additional milestones never do.
REQUIRED_KINDS = frozenset({Milestone.Kind.MUNICIPAL, Milestone.Kind.DECISION})


def is_municipal(milestone):
    return milestone.kind in REQUIRED_KINDS


@dataclass
class PhaseAnswers:
    phase: Phase
    milestones: list
    reached_slugs: frozenset

    @cached_property
    def reached(self):
        return [m for m in self.milestones if m.slug in self.reached_slugs]

    @cached_property
    def open(self):
        """Open milestones, municipal ones first, each group in roadmap order."""
        missing = [m for m in self.milestones if m.slug not in self.reached_slugs]
        return [m for m in missing if is_municipal(m)] + [m for m in missing if not is_municipal(m)]

    @cached_property
    def municipal_open(self):
        return [m for m in self.open if is_municipal(m)]

    @property
    def municipal_complete(self):
        return not self.municipal_open


@dataclass
class Assessment:
    phases: list
    reached_slugs: frozenset = field(default_factory=frozenset)
    ignored: int = 0

    @cached_property
    def recommended(self):
        """The earliest phase with open municipal milestones, else the last phase."""
        for answers in self.phases:
            if not answers.municipal_complete:
                return answers
        return self.phases[-1] if self.phases else None

    @property
    def all_complete(self):
        return bool(self.phases) and all(a.municipal_complete for a in self.phases)

    @property
    def reached(self):
        """Every reached milestone in roadmap order."""
        return [m for answers in self.phases for m in answers.reached]

    @property
    def done_phases(self):
        return [answers for answers in self.phases if answers.reached]

    @property
    def focus_milestones(self):
        """The open milestones the next step should work on."""
        if self.recommended is None:
            return []
        return self.recommended.municipal_open or self.recommended.open

    @property
    def later_progress(self):
        """True when milestones of phases after the recommended one are already reached."""
        if self.recommended is None:
            return False
        index = self.phases.index(self.recommended)
        return any(answers.reached for answers in self.phases[index + 1 :])

    def query_string(self):
        """The canonical, shareable encoding of the answers: erreicht=…&erreicht=…"""
        return urlencode([(ANSWER_PARAM, m.slug) for m in self.reached])

    def next_step_criteria(self):
        """[(workstream, [criteria…]), …] for the recommended phase; see the module rule."""
        if self.recommended is None:
            return []
        published = Criterion.objects.published().for_listing()
        focus = [m.pk for m in self.focus_milestones]
        criteria = []
        if focus:
            criteria = list(
                published.filter(milestones__in=focus)
                .annotate(open_milestones=Count("milestones"))
                .order_by("-open_milestones", "title")
            )
        if not criteria:
            criteria = list(published.filter(phase=self.recommended.phase).order_by("title"))
        return group_by_first_workstream(
            criteria, Workstream.objects.published(), lambda c: c.workstreams.all()
        )


def group_by_first_workstream(items, workstreams, workstreams_of):
    """[(workstream or None, [items…]), …] without empty groups; each item once.

    An item with several workstreams is listed under the first one (in workstream order);
    templates show the others as badges. Items without a workstream come last, under None.
    """
    groups = {ws.pk: [] for ws in workstreams}
    without = []
    for item in items:
        first = next((ws for ws in workstreams_of(item) if ws.pk in groups), None)
        (groups[first.pk] if first else without).append(item)
    result = [(ws, groups[ws.pk]) for ws in workstreams if groups[ws.pk]]
    return result + ([(None, without)] if without else [])


def assess(phases, milestones, answers):
    """Pure function: an Assessment of ``answers`` (slugs) against the given content.

    Unknown slugs (typos, drafts, deleted milestones) are ignored and counted.
    """
    answers = list(answers)[:MAX_ANSWERS]
    known = {m.slug for m in milestones}
    reached = frozenset(slug for slug in answers if slug in known)
    ignored = len({slug for slug in answers if slug not in known})
    by_phase = {}
    for milestone in milestones:
        by_phase.setdefault(milestone.phase_id, []).append(milestone)
    return Assessment(
        phases=[PhaseAnswers(phase, by_phase.get(phase.pk, []), reached) for phase in phases],
        reached_slugs=reached,
        ignored=ignored,
    )


def assess_answers(answers):
    """Assessment of ``answers`` against the published roadmap, in two queries."""
    return assess(list(sequence_phases()), list(sequence_milestones()), answers)
