"""Criteria: the factors that decide whether a solution can be made permanent and transferred."""

from typing import NamedTuple

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.functional import cached_property

from core.links import slug_url
from core.publishing import (
    ContentManagerMixin,
    Publishable,
    PublishableQuerySet,
    public_tree_nodes_by_key,
)
from core.stored_markdown import StoredMarkdownField
from phases.lead_times import (
    lead_time_months_field,
    lead_time_reason_field,
    needs_council_decision_field,
)

from .structure import MARKDOWN_HELP, Milestone, Phase, Workstream, public_workstreams
from .taxonomy import OperatorModel, ScalingDriver, Stakeholder


class CriteriaByWorkstream(NamedTuple):
    groups: list  # [(workstream, shown criteria, number of all its criteria), …]
    total: int  # criteria in all workstreams, each counted once


# What a criterion card shows (templates/includes/criterion_card.html, phases/cards.py).
CARD_COLUMNS = ("title", "slug", "summary", "phase", "transfer_relevant")


def complete_cards(cards, workstreams_of):
    """Give public criteria read with ``CARD_COLUMNS`` their phase (from the cached tree: a
    public criterion's phase is public) and their public workstreams (``workstreams_of``:
    {criterion pk: workstream keys}), without a query."""
    phases = public_tree_nodes_by_key(Phase)
    workstreams = public_workstreams()
    for card in cards:
        card.phase = phases[card.phase_id]
        keys = workstreams_of.get(card.pk, ())
        card.listed_workstreams = [ws for ws in workstreams if ws.pk in keys]


class CriterionQuerySet(PublishableQuerySet):
    def with_workstreams(self):
        return self.prefetch_related(
            models.Prefetch("workstreams", queryset=Workstream.objects.public())
        )

    def for_listing(self):
        """Everything a criterion card shows, in a fixed number of queries; the long body
        stays in the database."""
        return self.select_related_for_links("phase").with_workstreams().without_long_texts()

    def by_workstream(self, workstreams, limit):
        """The criteria grouped by workstream, at most ``limit`` per workstream (by title).

        Only keys are read for grouping and counting, so a long list costs one cheap query,
        and only the shown criteria become objects. A criterion with two workstreams appears
        in both groups but counts once in ``total``.
        """
        members = {workstream.pk: [] for workstream in workstreams}
        workstreams_of = {}
        for pk, workstream_id in self.order_by("title").values_list("pk", "workstreams"):
            workstreams_of.setdefault(pk, set()).add(workstream_id)
            if workstream_id in members:
                members[workstream_id].append(pk)
        shown = {pk for pks in members.values() for pk in pks[:limit]}
        cards = self.filter(pk__in=shown).only(*CARD_COLUMNS).in_bulk()
        # The workstream badges come from the keys read above, not from a prefetch query.
        complete_cards(cards.values(), workstreams_of)
        groups = [
            (ws, [cards[pk] for pk in members[ws.pk][:limit]], len(members[ws.pk]))
            for ws in workstreams
        ]
        return CriteriaByWorkstream(groups=groups, total=len(workstreams_of))

    def phase_workstream_grid(self):
        """[(phase, [(workstream, n), …], total), …] over the published phases and workstreams.

        A criterion with two workstreams counts in both cells but once in its phase total.
        """
        workstreams = public_workstreams()
        plain = self.order_by()
        cells = plain.values_list("phase_id", "workstreams").annotate(n=Count("pk"))
        per_cell = {(phase_id, ws_id): n for phase_id, ws_id, n in cells}
        per_phase = dict(plain.values_list("phase_id").annotate(n=Count("pk")))
        return [
            (
                phase,
                [(ws, per_cell.get((phase.pk, ws.pk), 0)) for ws in workstreams],
                per_phase.get(phase.pk, 0),
            )
            for phase in Phase.objects.published().groups()
        ]


class CriterionManager(ContentManagerMixin, models.Manager.from_queryset(CriterionQuerySet)):
    pass


class Criterion(Publishable):
    """A factor that decides whether a solution can be made permanent and transferred."""

    title = models.CharField("Titel", max_length=200, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    summary = models.CharField("Kurzbeschreibung", max_length=400, help_text="Ein bis zwei Sätze.")
    body = models.TextField(
        "Text",
        help_text="Gliederung: Worum geht es? – Warum entscheidet es? – Wie gehen Sie vor? – "
        "Typische Stolpersteine. " + MARKDOWN_HELP,
    )
    body_html = StoredMarkdownField(source="body")
    workstreams = models.ManyToManyField(
        Workstream,
        verbose_name="Arbeitsstränge",
        related_name="criteria",
        through="CriterionWorkstream",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name="ab Phase",
        on_delete=models.PROTECT,
        related_name="criteria",
        limit_choices_to={"parent__isnull": True},
        help_text="Phase, ab der das Kriterium gilt; „Durchgehend“ für phasenübergreifende.",
    )
    sub_phases = models.ManyToManyField(
        Phase,
        verbose_name="Teilphasen",
        blank=True,
        related_name="sub_phase_criteria",
        limit_choices_to={"parent__isnull": False},
    )
    scaling_driver = models.ForeignKey(
        ScalingDriver,
        verbose_name="Einordnung Skalierungstreiber",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria",
        help_text="Möglichst die genaueste Ebene (Mechanismus) wählen.",
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, verbose_name="Schlüsselakteure", blank=True, related_name="criteria"
    )
    transfer_relevant = models.BooleanField("besonders wichtig für den Transfer", default=False)
    operator_models = models.ManyToManyField(
        OperatorModel, verbose_name="passende Betreibermodelle", blank=True, related_name="criteria"
    )
    milestones = models.ManyToManyField(
        Milestone, verbose_name="unterstützt Meilensteine", blank=True, related_name="criteria"
    )
    source = models.CharField("Quelle", max_length=300, blank=True)
    source_url = models.URLField("Link zur Quelle", blank=True)
    editorial_assessment = models.BooleanField(
        "Einschätzung der Redaktion",
        default=False,
        help_text="Ankreuzen, wenn der Text auf der Erfahrung der Redaktion beruht "
        "und keine Quelle hat.",
    )
    legal_status_on = models.DateField(
        "Rechtsstand",
        null=True,
        blank=True,
        help_text="Nur bei Kriterien, die Recht zitieren: Stand der zitierten Rechtslage.",
    )
    legal_status_note = models.TextField(
        "Hinweis zum Rechtsstand",
        blank=True,
        help_text="Was ab wann gilt oder sich ändert (z. B. Übergangsfristen, Schwellenwerte "
        "und ihr Gültigkeitszeitraum). " + MARKDOWN_HELP,
    )
    legal_status_note_html = StoredMarkdownField(source="legal_status_note")
    lead_time_months = lead_time_months_field()
    lead_time_reason = lead_time_reason_field()
    needs_council_decision = needs_council_decision_field()
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    objects = CriterionManager()

    class Meta:
        ordering = ["phase__tree_id", "title"]
        verbose_name = "Kriterium"
        verbose_name_plural = "Kriterien"
        permissions = [("publish_criterion", "Darf Kriterien veröffentlichen")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        from .redirects import slug_taken_by_redirect

        if self.slug and slug_taken_by_redirect(self.slug, exclude_criterion=self):
            raise ValidationError(
                {
                    "slug": "Dieser Kurzname ist die frühere Adresse eines anderen Kriteriums "
                    "und leitet dorthin weiter. Wählen Sie einen anderen Kurznamen oder "
                    "entfernen Sie zuerst die Weiterleitung."
                }
            )

    @classmethod
    def public_q(cls, prefix=""):
        """Published, in a public phase: a draft phase hides its criteria everywhere."""
        return super().public_q(prefix) & Phase.public_q(f"{prefix}phase__")

    @cached_property
    def listed_workstreams(self):
        """The workstream badges of a card; lists that know them already set them."""
        return self.workstreams.all()

    def get_absolute_url(self):
        return slug_url("phases:criterion-detail", self.slug)


class CriterionWorkstream(models.Model):
    """Explicit through table so that a workstream with criteria cannot be deleted."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, verbose_name="Kriterium")
    workstream = models.ForeignKey(
        Workstream, on_delete=models.PROTECT, verbose_name="Arbeitsstrang"
    )

    class Meta:
        ordering = ["workstream__order", "criterion__title"]
        verbose_name = "Zuordnung zum Arbeitsstrang"
        verbose_name_plural = "Zuordnungen zu Arbeitssträngen"
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "workstream"], name="criterion_workstream_unique"
            )
        ]

    def __str__(self):
        return f"{self.criterion} – {self.workstream}"
