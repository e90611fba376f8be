"""A Fahrplan's state: published milestones and criteria with the team's ticks and notes.

Everything a Fahrplan page, its forms and its CSV export need is loaded by
``load_plan`` in a fixed number of queries. Only published content of published
phases appears; entries for content that became a draft stay in the database
untouched but are neither shown, counted nor exported.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from phases.models import Criterion, Milestone, Phase, Workstream

from .assessment import assess, group_by_first_workstream
from .models import FahrplanEntry

CSV_HEADER = [
    "Phase",
    "Art",
    "Arbeitsstränge",
    "Titel",
    "Status",
    "Notiz",
    "Zuletzt geändert",
    "Adresse",
]
REMOVED_LABEL = "Dieser Inhalt wurde entfernt"


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def text(self):
        return f"{self.done} von {self.total} erledigt"

    @classmethod
    def of(cls, items):
        items = list(items)
        return cls(sum(1 for item in items if item.done), len(items))


@dataclass
class Item:
    """One milestone or criterion in a plan, with the team's tick and note."""

    obj: object
    entry: FahrplanEntry | None = None
    done: bool = False
    note: str = ""
    error: str = ""

    def __post_init__(self):
        if self.entry is not None:
            self.done, self.note = self.entry.done, self.entry.note

    # Cached: the item's template asks for these a dozen times per item.
    @cached_property
    def is_milestone(self):
        return isinstance(self.obj, Milestone)

    @property
    def kind_label(self):
        return "Meilenstein" if self.is_milestone else "Kriterium"

    @cached_property
    def key(self):
        """Form field prefix, unique within a plan: m12 for a milestone, k34 for a criterion."""
        return f"{'m' if self.is_milestone else 'k'}{self.obj.pk}"

    @property
    def title(self):
        return self.obj.title

    @cached_property  # asked for by every progress figure and criteria group of the page
    def workstreams(self):
        return [] if self.is_milestone else list(self.obj.workstreams.all())

    def target(self):
        """Keyword arguments that point a FahrplanEntry at this item and remember it."""
        return FahrplanEntry.snapshot(self.obj)


@dataclass
class PlanPhase:
    phase: Phase
    milestones: list
    criteria: list
    workstreams: list
    is_recommended: bool = False
    saved: bool = False
    errors: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"phase-{self.phase.slug}"

    @property
    def items(self):
        return self.milestones + self.criteria

    @cached_property
    def criteria_groups(self):
        """Criteria by workstream, each once: the form needs exactly one checkbox per item."""
        return group_by_first_workstream(
            self.criteria, self.workstreams, lambda item: item.workstreams
        )

    @property
    def progress(self):
        return Progress.of(self.items)

    @property
    def milestone_progress(self):
        return Progress.of(self.milestones)

    @property
    def criterion_progress(self):
        return Progress.of(self.criteria)


@dataclass
class Plan:
    fahrplan: object
    phases: list
    workstreams: list
    assessment: object
    # Entries whose milestone or criterion an editor deleted: shown, never counted.
    removed: list = field(default_factory=list)

    @property
    def items(self):
        return [item for plan_phase in self.phases for item in plan_phase.items]

    @property
    def progress(self):
        return Progress.of(self.items)

    @property
    def workstream_progress(self):
        """[(workstream, Progress), …]; a criterion with two workstreams counts in both."""
        criteria = [item for plan_phase in self.phases for item in plan_phase.criteria]
        return [
            (ws, Progress.of(item for item in criteria if ws in item.workstreams))
            for ws in self.workstreams
        ]

    def phase(self, slug):
        return next((p for p in self.phases if p.phase.slug == slug), None)

    def csv_rows(self, absolute_url):
        """Header and one row per published item (``write_csv`` defuses formulas)."""
        yield CSV_HEADER
        for plan_phase in self.phases:
            for item in plan_phase.items:
                changed = item.entry.updated_at if item.entry else None
                row = [
                    str(plan_phase.phase),
                    item.kind_label,
                    ", ".join(ws.name for ws in item.workstreams),
                    item.title,
                    "erledigt" if item.done else "offen",
                    item.note,
                    timezone.localtime(changed).strftime("%d.%m.%Y %H:%M") if changed else "",
                    absolute_url(item.obj.get_absolute_url()),
                ]
                yield row
        for entry in self.removed:
            row = [
                REMOVED_LABEL,
                entry.get_target_type_display(),
                "",
                entry.title,
                "erledigt" if entry.done else "offen",
                entry.note,
                timezone.localtime(entry.updated_at).strftime("%d.%m.%Y %H:%M"),
                "",
            ]
            yield row


def load_plan(fahrplan):
    """The Plan of ``fahrplan`` in six queries, however much content the roadmap has."""
    groups = list(Phase.objects.published().groups())
    group_ids = [group.pk for group in groups]
    # A plan shows titles, addresses, lead times and ticks: the long texts stay in the database.
    milestones = list(
        Milestone.objects.published()
        .filter(phase_id__in=group_ids)
        .without_long_texts()
        .select_related_for_links("phase")
    )
    criteria = list(
        Criterion.objects.published()
        .filter(phase_id__in=group_ids)
        .without_long_texts()
        .prefetch_related(Prefetch("workstreams", queryset=Workstream.objects.published()))
        .order_by("title")
    )
    workstreams = list(Workstream.objects.published())
    entries = list(fahrplan.entries.all())
    by_milestone = {e.milestone_id: e for e in entries if e.milestone_id}
    by_criterion = {e.criterion_id: e for e in entries if e.criterion_id}

    ticked = [m.slug for m in milestones if getattr(by_milestone.get(m.pk), "done", False)]
    sequence = [group for group in groups if not group.is_cross_phase]
    assessment = assess(sequence, [m for m in milestones if m.phase in sequence], ticked)
    recommended = assessment.recommended.phase if assessment.recommended else None

    phases = [
        PlanPhase(
            phase=group,
            milestones=[
                Item(m, by_milestone.get(m.pk)) for m in milestones if m.phase_id == group.pk
            ],
            criteria=[Item(c, by_criterion.get(c.pk)) for c in criteria if c.phase_id == group.pk],
            workstreams=workstreams,
            is_recommended=group == recommended,
        )
        for group in groups
    ]
    removed = [entry for entry in entries if entry.is_removed]
    return Plan(fahrplan, phases, workstreams, assessment, removed)


def save_phase(fahrplan, plan_phase, values):
    """Store ticks and notes of one phase's items; ``values`` maps item key → (done, note).

    Items that are neither done nor annotated lose their row, so the table only
    holds what a team actually entered. Concurrent saves of the same item end with
    the last one winning instead of an error.
    """
    now = timezone.now()
    upserts = {"milestone": [], "criterion": []}
    cleared = []
    for item in plan_phase.items:
        done, note = values[item.key]
        if (done, note) == (item.done, item.note):
            continue
        if done or note:
            upserts["milestone" if item.is_milestone else "criterion"].append(
                FahrplanEntry(
                    fahrplan=fahrplan, done=done, note=note, updated_at=now, **item.target()
                )
            )
        elif item.entry is not None:
            cleared.append(item.entry.pk)
    with transaction.atomic():
        if cleared:
            FahrplanEntry.objects.filter(fahrplan=fahrplan, pk__in=cleared).delete()
        for target, entries in upserts.items():
            if entries:
                FahrplanEntry.objects.bulk_create(
                    entries,
                    update_conflicts=True,
                    unique_fields=["fahrplan", target],
                    update_fields=["done", "note", "updated_at", "target_slug", "title"],
                )
        fahrplan.touch(now)


def start_entries(fahrplan, milestones):
    """The first entries of a new plan: the milestones a self-check answered with yes."""
    FahrplanEntry.objects.bulk_create(
        FahrplanEntry(fahrplan=fahrplan, done=True, **FahrplanEntry.snapshot(m)) for m in milestones
    )
