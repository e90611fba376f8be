"""The roadmap itself: phases, milestones, workstreams, criteria and their taxonomy."""

import operator
from functools import reduce
from typing import NamedTuple

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, ExpressionWrapper, F, Q
from django.urls import reverse
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey

from core.publishing import (
    ContentManagerMixin,
    LeanRowsMixin,
    Publishable,
    PublishableQuerySet,
    TreeContentManager,
    TreeContentQuerySet,
    public_tree_q,
)
from phases.lead_times import (
    lead_time_months_field,
    lead_time_reason_field,
    needs_council_decision_field,
)

MARKDOWN_HELP = "Markdown: **fett**, *kursiv*, Listen mit „-“, Links als [Text](/pfad/)."


class PhaseQuerySet(TreeContentQuerySet):
    def groups(self):
        """The top level of the tree: P1–P5 and „Durchgehend“."""
        return self.filter(parent__isnull=True)

    def groups_and_children_of(self, phase):
        """The top level and the sub-phases of ``phase``, in tree order, in one query."""
        return self.filter(Q(parent__isnull=True) | Q(parent=phase))


class PhaseManager(ContentManagerMixin, TreeManager.from_queryset(PhaseQuerySet)):
    pass


class Phase(MPTTModel, Publishable):
    """A phase group (P1–P5, „Durchgehend“) at the top of the tree, sub-phases below."""

    parent = TreeForeignKey(
        "self",
        verbose_name="übergeordnete Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="Leer lassen für eine Hauptphase; sonst ist dies eine Teilphase.",
    )
    number = models.CharField(
        "Nummer", max_length=10, blank=True, help_text="z. B. „P3“; leer bei Teilphasen."
    )
    name = models.CharField("Name", max_length=120)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    is_cross_phase = models.BooleanField(
        "phasenübergreifend",
        default=False,
        help_text="Für die Gruppe „Durchgehend“: Kriterien, die in jeder Phase gelten.",
    )
    teaser = models.CharField(
        "Kurztext", max_length=300, blank=True, help_text="Ein bis zwei Sätze für die Startseite."
    )
    description = models.TextField("Beschreibung", blank=True, help_text=MARKDOWN_HELP)
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    objects = PhaseManager()

    class MPTTMeta:
        order_insertion_by = ["order"]

    class Meta:
        ordering = ["tree_id", "lft"]
        verbose_name = "Phase"
        verbose_name_plural = "Phasen"
        permissions = [("publish_phase", "Darf Phasen veröffentlichen")]

    # The columns __str__ joins; filter options read them without building instances.
    label_fields = ("number", "name")

    def __str__(self):
        return f"{self.number} {self.name}".strip()

    @classmethod
    def public_q(cls, prefix=""):
        """Published, and so is every parent phase."""
        return public_tree_q(cls, prefix)

    def get_absolute_url(self):
        if self.parent_id:
            return f"{self.parent.get_absolute_url()}#{self.slug}"
        return reverse("phases:phase-detail", kwargs={"slug": self.slug})


class PhaseReference(models.Model):
    """A curated pointer from one phase back to another it builds on (P5 → P2)."""

    from_phase = models.ForeignKey(
        Phase, verbose_name="von Phase", on_delete=models.CASCADE, related_name="references_out"
    )
    to_phase = models.ForeignKey(
        Phase, verbose_name="verweist auf", on_delete=models.PROTECT, related_name="references_in"
    )
    note = models.CharField("Warum?", max_length=300)

    class Meta:
        ordering = ["from_phase__tree_id", "from_phase__lft", "to_phase__tree_id"]
        verbose_name = "Phasenbezug"
        verbose_name_plural = "Phasenbezüge"
        constraints = [
            models.UniqueConstraint(fields=["from_phase", "to_phase"], name="phase_ref_unique"),
            models.CheckConstraint(
                condition=~Q(from_phase=F("to_phase")), name="phase_ref_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.from_phase} → {self.to_phase}"

    @classmethod
    def public_q(cls, prefix=""):
        return Phase.public_q(f"{prefix}from_phase__") & Phase.public_q(f"{prefix}to_phase__")


class Workstream(Publishable):
    """One of the four workstreams; each has its own colour in the UI."""

    class Colour(models.TextChoices):
        GREEN = "gruen", "Grün"
        BLUE = "blau", "Blau"
        ORANGE = "orange", "Orange"
        VIOLET = "violett", "Violett"

    name = models.CharField("Name", max_length=60, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=60, unique=True)
    label = models.CharField(
        "Kurzlabel", max_length=20, help_text="Textlabel neben der Farbe, z. B. „WIR“."
    )
    colour = models.CharField("Farbe", max_length=10, choices=Colour.choices, unique=True)
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    description = models.TextField("Beschreibung", blank=True, help_text=MARKDOWN_HELP)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "Arbeitsstrang"
        verbose_name_plural = "Arbeitsstränge"
        permissions = [("publish_workstream", "Darf Arbeitsstränge veröffentlichen")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('phases:criterion-list')}?arbeitsstrang={self.slug}"


class Milestone(Publishable):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", "kommunaler Meilenstein"
        ADDITIONAL = "additional", "zusätzlicher Meilenstein"
        DECISION = "decision", "Entscheidungspunkt"

    phase = models.ForeignKey(
        Phase,
        verbose_name="Phase",
        on_delete=models.PROTECT,
        related_name="milestones",
        # Milestones are anchors on a phase page; sub-phases have no page of their own.
        limit_choices_to={"parent__isnull": True},
    )
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    title = models.CharField("Titel", max_length=200)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    kind = models.CharField(
        "Art",
        max_length=12,
        choices=Kind.choices,
        default=Kind.MUNICIPAL,
        help_text="Kommunal: muss die Verwaltung entscheiden oder liefern. "
        "Zusätzlich: empfohlen, aber nicht zwingend. "
        "Entscheidungspunkt: am Ende einer Phase bewusst weitermachen, anpassen oder beenden; "
        "zählt im Selbstcheck wie ein kommunaler Meilenstein.",
    )
    description = models.TextField("Beschreibung", blank=True, help_text=MARKDOWN_HELP)
    question = models.CharField(
        "Frage für den Selbstcheck",
        max_length=250,
        blank=True,
        help_text="Mit Ja oder Nein zu beantworten, z. B. „Ist der Mehrwert belegt?“",
    )
    lead_time_months = lead_time_months_field()
    lead_time_reason = lead_time_reason_field()
    needs_council_decision = needs_council_decision_field()
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    class Meta:
        ordering = ["phase__tree_id", "phase__lft", "order", "title"]
        verbose_name = "Meilenstein"
        verbose_name_plural = "Meilensteine"
        permissions = [("publish_milestone", "Darf Meilensteine veröffentlichen")]

    def __str__(self):
        return self.title

    @classmethod
    def public_q(cls, prefix=""):
        """Published, in a public phase (its anchor lives on the phase page)."""
        return super().public_q(prefix) & Phase.public_q(f"{prefix}phase__")

    def get_absolute_url(self):
        return reverse("phases:phase-detail", kwargs={"slug": self.phase.slug}) + (
            f"#meilenstein-{self.slug}"
        )


class Stakeholder(Publishable):
    name = models.CharField("Name", max_length=120, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    description = models.TextField("Beschreibung", blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "Akteursgruppe"
        verbose_name_plural = "Akteursgruppen"
        permissions = [("publish_stakeholder", "Darf Akteursgruppen veröffentlichen")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('phases:criterion-list')}?akteur={self.slug}"


class ScalingDriver(MPTTModel, Publishable):
    """Scaling driver → sub-driver → mechanism category → mechanism."""

    LEVEL_NAMES = ("Skalierungstreiber", "Subtreiber", "Mechanismuskategorie", "Mechanismus")

    parent = TreeForeignKey(
        "self",
        verbose_name="übergeordneter Eintrag",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField("Name", max_length=160)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    description = models.TextField("Beschreibung", blank=True)

    objects = TreeContentManager()

    class MPTTMeta:
        order_insertion_by = ["order"]

    class Meta:
        ordering = ["tree_id", "lft"]
        verbose_name = "Skalierungstreiber"
        verbose_name_plural = "Skalierungstreiber"
        permissions = [("publish_scalingdriver", "Darf Skalierungstreiber veröffentlichen")]

    def __str__(self):
        return self.name

    @classmethod
    def public_q(cls, prefix=""):
        """Published, and so is every level above it."""
        return public_tree_q(cls, prefix)

    @property
    def level_name(self):
        return self.LEVEL_NAMES[min(self.level, len(self.LEVEL_NAMES) - 1)]

    def get_absolute_url(self):
        return f"{reverse('phases:criterion-list')}?treiber={self.slug}"


class OperatorModel(Publishable):
    """How a solution is run for good (Eigenbetrieb, Zweckverband, BOT …)."""

    class Family(models.TextChoices):
        ORGANISATIONAL = "organisation", "Organisations- und Rechtsform"
        COOPERATION = "cooperation", "Interkommunale Zusammenarbeit"
        LIFECYCLE = "lifecycle", "Bau-, Betriebs- und Eigentumsmodell"
        SERVICE = "service", "Dienstleistung und Gemeinschaft"

    name = models.CharField("Name", max_length=160, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    abbreviation = models.CharField("Abkürzung", max_length=20, blank=True)
    family = models.CharField("Gruppe", max_length=20, choices=Family.choices)
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    summary = models.CharField("Kurzbeschreibung", max_length=300)
    description = models.TextField("Beschreibung", help_text=MARKDOWN_HELP)
    advantages = models.TextField("Vorteile", help_text=MARKDOWN_HELP)
    disadvantages = models.TextField("Nachteile", help_text=MARKDOWN_HELP)
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)
    suitable_phases = models.ManyToManyField(
        Phase,
        verbose_name="passende Phasen",
        blank=True,
        related_name="operator_models",
        limit_choices_to={"parent__isnull": True},
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "Betreibermodell"
        verbose_name_plural = "Betreibermodelle"
        permissions = [("publish_operatormodel", "Darf Betreibermodelle veröffentlichen")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("phases:operator-model-detail", kwargs={"slug": self.slug})


class CriteriaByWorkstream(NamedTuple):
    groups: list  # [(workstream, shown criteria, number of all its criteria), …]
    total: int  # criteria in all workstreams, each counted once


class CriterionQuerySet(PublishableQuerySet):
    def with_public_scaling_driver(self):
        """``scaling_driver_is_public`` on each row: pages name a draft driver nowhere."""
        return self.annotate(
            scaling_driver_is_public=ExpressionWrapper(
                ScalingDriver.public_q("scaling_driver__"), output_field=models.BooleanField()
            )
        )

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
        every = set()
        for pk, workstream_id in self.order_by("title").values_list("pk", "workstreams"):
            every.add(pk)
            if workstream_id in members:
                members[workstream_id].append(pk)
        shown = {pk for pks in members.values() for pk in pks[:limit]}
        cards = self.filter(pk__in=shown).for_listing().in_bulk()
        groups = [
            (ws, [cards[pk] for pk in members[ws.pk][:limit]], len(members[ws.pk]))
            for ws in workstreams
        ]
        return CriteriaByWorkstream(groups=groups, total=len(every))

    def phase_workstream_grid(self):
        """[(phase, [(workstream, n), …], total), …] over the published phases and workstreams.

        A criterion with two workstreams counts in both cells but once in its phase total.
        """
        workstreams = list(Workstream.objects.published())
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

    def get_absolute_url(self):
        return reverse("phases:criterion-detail", kwargs={"slug": self.slug})


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


CROSSREF_TARGET_FIELDS = (
    "target_criterion",
    "target_milestone",
    "target_phase",
    "target_example",
    "target_operator_model",
    "target_resource",
)


def exactly_one_not_null(fields):
    """Q that holds when exactly one of ``fields`` is set."""
    alternatives = [
        Q(**{f"{name}__isnull": False}, **{f"{o}__isnull": True for o in fields if o != name})
        for name in fields
    ]
    return reduce(operator.or_, alternatives)


class CrossReferenceQuerySet(LeanRowsMixin, models.QuerySet):
    def from_public_criteria(self):
        """References whose source criterion is public."""
        return self.filter(Criterion.public_q("source__"))

    def public(self):
        """References whose both ends are public (the one rule of each end's model)."""
        targets = {
            "target_criterion": Criterion,
            "target_milestone": Milestone,
            "target_phase": Phase,
            "target_example": self.model._meta.get_field("target_example").related_model,
            "target_operator_model": OperatorModel,
            "target_resource": self.model._meta.get_field("target_resource").related_model,
        }
        conditions = [
            Q(**{f"{name}__isnull": True}) | model.public_q(f"{name}__")
            for name, model in targets.items()
        ]
        return self.from_public_criteria().filter(*conditions)

    def visible(self):
        """Public references with every end loaded."""
        # Milestone and sub-phase URLs need their phase, so load those too.
        return self.public().select_related_for_links(
            "source", *CROSSREF_TARGET_FIELDS, "target_milestone__phase", "target_phase__parent"
        )

    def around(self, criterion):
        """(outgoing, incoming) visible references of a criterion, in one query."""
        references = list(
            self.visible().filter(Q(source=criterion) | Q(target_criterion=criterion))
        )
        outgoing = [ref for ref in references if ref.source_id == criterion.pk]
        incoming = [ref for ref in references if ref.source_id != criterion.pk]
        return outgoing, incoming


class CrossReference(models.Model):
    """A curated link from a criterion to exactly one other content item, with a reason."""

    class Kind(models.TextChoices):
        REQUIRES = "requires", "setzt voraus"
        RELATED = "related", "hängt zusammen mit"
        SUPPORTS = "supports", "unterstützt"
        ILLUSTRATED_BY = "illustrated", "wird veranschaulicht durch"
        SEE_ALSO = "see_also", "siehe auch"

    TARGET_FIELDS = CROSSREF_TARGET_FIELDS

    source = models.ForeignKey(
        Criterion,
        verbose_name="von Kriterium",
        on_delete=models.CASCADE,
        related_name="references_out",
    )
    kind = models.CharField("Art", max_length=12, choices=Kind.choices, default=Kind.RELATED)
    note = models.CharField(
        "Warum?", max_length=300, help_text="Ein Satz, warum das zusammengehört."
    )
    target_criterion = models.ForeignKey(
        Criterion,
        verbose_name="Kriterium",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_milestone = models.ForeignKey(
        Milestone,
        verbose_name="Meilenstein",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_phase = models.ForeignKey(
        Phase,
        verbose_name="Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criterion_references_in",
    )
    target_example = models.ForeignKey(
        "examples.PracticeExample",
        verbose_name="Praxisbeispiel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_operator_model = models.ForeignKey(
        OperatorModel,
        verbose_name="Betreibermodell",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )
    target_resource = models.ForeignKey(
        "examples.Resource",
        verbose_name="Ressource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="references_in",
    )

    objects = CrossReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["source__title", "kind", "pk"]
        verbose_name = "Querverweis"
        verbose_name_plural = "Querverweise"
        constraints = [
            models.CheckConstraint(
                condition=exactly_one_not_null(CROSSREF_TARGET_FIELDS),
                name="crossref_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(target_criterion=F("source")), name="crossref_not_self"
            ),
            *[
                models.UniqueConstraint(fields=["source", name], name=f"crossref_unique_{name}")
                for name in CROSSREF_TARGET_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def get_absolute_url(self):
        return self.source.get_absolute_url()

    @property
    def target(self):
        for name in self.TARGET_FIELDS:
            value = getattr(self, name)
            if value is not None:
                return value
        return None


# Former criterion addresses live in their own module; importing registers the model.
from .redirects import CriterionRedirect  # noqa: E402, F401
