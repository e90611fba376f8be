"""The decision log of a Fahrplan: continue, adapt or stop at the end of phases P1–P4.

Incremental financing only pays off if a team decides at each key milestone whether to go
on, change course or stop. One row per Fahrplan and phase holds that decision; recording
again replaces it. Stopping is a legitimate outcome, so "stop" leads to the roadmap's content
on ending a measure well.
"""

from django.db import models
from django.utils import timezone

from phases.models import Criterion, Milestone, Phase

# Decision points are at the end of these phases; P5 has no "next phase" to decide on.
DECISION_PHASE_NUMBERS = ("P1", "P2", "P3", "P4")
REASON_MAX_LENGTH = 500
ENDING_WELL_SLUG = "massnahme-beenden"


class Outcome(models.TextChoices):
    CONTINUE = "continue", "weitermachen"
    ADAPT = "adapt", "anpassen und weitermachen"
    STOP = "stop", "beenden"


class Decision(models.Model):
    fahrplan = models.ForeignKey(
        "selfcheck.Fahrplan",
        verbose_name="Fahrplan",
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    # PROTECT: a phase is structure that only Chefredaktion deletes, and it always has
    # milestones at the end of which teams decide; deleting it must never silently take a
    # team's recorded decisions along (the admin names the blocking decisions as counts).
    phase = models.ForeignKey(
        Phase, verbose_name="Phase", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField("Entscheidung", max_length=10, choices=Outcome.choices)
    decided_on = models.DateField("Datum der Entscheidung")
    reason = models.CharField("Begründung", max_length=REASON_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField("zuletzt geändert", default=timezone.now)

    class Meta:
        ordering = ["fahrplan", "phase__tree_id"]
        verbose_name = "Entscheidung"
        verbose_name_plural = "Entscheidungen"
        constraints = [
            models.UniqueConstraint(fields=["fahrplan", "phase"], name="decision_unique_phase"),
        ]

    def __str__(self):
        # Without the reason: it is the team's text.
        return "Entscheidung in einem Fahrplan"

    @property
    def is_stop(self):
        return self.outcome == Outcome.STOP


def decision_phases():
    """The published phases P1–P4, in roadmap order."""
    return [
        phase
        for phase in Phase.objects.published().groups()
        if phase.number in DECISION_PHASE_NUMBERS and not phase.is_cross_phase
    ]


def ending_well_criterion():
    """The published criterion on ending a measure well, or None while it does not exist."""
    return Criterion.objects.published().filter(slug=ENDING_WELL_SLUG).only("slug", "title").first()


def decision_log(fahrplan):
    """[(phase, decision or None), …] for P1–P4."""
    phases = decision_phases()
    decisions = {d.phase_id: d for d in fahrplan.decisions.filter(phase__in=phases)}
    return [(phase, decisions.get(phase.pk)) for phase in phases]


def decision_milestones(phases):
    """{phase pk: the published decision-point milestone of that phase}, in one query."""
    milestones = (
        Milestone.objects.published()
        .filter(phase__in=phases, kind=Milestone.Kind.DECISION)
        .select_related_for_links("phase")
    )
    return {milestone.phase_id: milestone for milestone in milestones}


def tick_decision_milestone(fahrplan, phase):
    """Recording a decision answers the decision point's question with yes: tick it in the
    Fahrplan (keeping any note the team wrote there)."""
    from .models import FahrplanEntry

    milestone = decision_milestones([phase]).get(phase.pk)
    if milestone is not None:
        remembered = FahrplanEntry.snapshot(milestone)  # survives deleting the milestone
        FahrplanEntry.objects.update_or_create(
            fahrplan=fahrplan,
            milestone=remembered.pop("milestone"),
            defaults={"done": True, "updated_at": timezone.now(), **remembered},
        )


def record_decision(fahrplan, phase, outcome, decided_on, reason):
    tick_decision_milestone(fahrplan, phase)
    Decision.objects.update_or_create(
        fahrplan=fahrplan,
        phase=phase,
        defaults={
            "outcome": outcome,
            "decided_on": decided_on,
            "reason": reason,
            "updated_at": timezone.now(),
        },
    )
    fahrplan.touch()
