"""Phases and sub-phases (one MPTT tree), their links, workstreams and milestones."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey

from core import lookups
from core.links import slug_url
from core.publishing import (
    ContentManagerMixin,
    Publishable,
    TreeContentQuerySet,
    public_tree_nodes,
    public_tree_nodes_by_key,
    public_tree_q,
)
from core.stored_markdown import StoredMarkdownField
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
    description_html = StoredMarkdownField(source="description")
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
        return slug_url("phases:phase-detail", self.slug)


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
    description_html = StoredMarkdownField(source="description")

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "Arbeitsstrang"
        verbose_name_plural = "Arbeitsstränge"
        permissions = [("publish_workstream", "Darf Arbeitsstränge veröffentlichen")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('phases:criterion-list')}?arbeitsstrang={self.slug}"


def public_phase_groups():
    """The public top level (P1–P5, „Durchgehend“) in order, from the cached public tree."""
    return [node for node in public_tree_nodes(Phase) if node.parent_id is None]


def public_milestones_of(phase):
    """The public milestones of ``phase`` in page order, from all public milestones kept per
    content state (core/lookups.py; grouped in the database's order)."""

    def read():
        grouped = {}
        for milestone in Milestone.objects.public().order_by("phase", "order", "title"):
            grouped.setdefault(milestone.phase_id, []).append(milestone)
        return grouped

    return lookups.cached("public-milestones", read).get(phase.pk, [])


def public_phase_references_from(phase):
    """The public references of ``phase`` to phases it builds on, kept per content state."""

    def read():
        phases = public_tree_nodes_by_key(Phase)
        grouped = {}
        for reference in PhaseReference.objects.filter(PhaseReference.public_q()):
            reference.to_phase = phases[reference.to_phase_id]
            grouped.setdefault(reference.from_phase_id, []).append(reference)
        return grouped

    return lookups.cached("public-phase-references", read).get(phase.pk, [])


def public_workstreams():
    """The public workstreams in their order, kept per content state (core/lookups.py).

    Shared by every request of this process: callers only read them."""
    return lookups.cached("public-workstreams", lambda: tuple(Workstream.objects.public()))


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
    description_html = StoredMarkdownField(source="description")
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

    # Phase pages show these for every milestone; kept on the row, which for visitors is
    # shared by every request of a content state (public_milestones_of).
    @cached_property
    def is_decision(self):
        return self.kind == self.Kind.DECISION

    @cached_property
    def kind_label(self):
        return self.get_kind_display()

    @classmethod
    def public_q(cls, prefix=""):
        """Published, in a public phase (its anchor lives on the phase page)."""
        return super().public_q(prefix) & Phase.public_q(f"{prefix}phase__")

    def get_absolute_url(self):
        return slug_url("phases:phase-detail", self.phase.slug) + (f"#meilenstein-{self.slug}")
