"""Stakeholders, the scaling-driver taxonomy (an MPTT tree) and operator models."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from mptt.models import MPTTModel, TreeForeignKey

from core import lookups
from core.links import slug_url
from core.publishing import Publishable, TreeContentManager, public_tree_q
from core.stored_markdown import StoredMarkdownField

from .structure import MARKDOWN_HELP, Phase


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
    description_html = StoredMarkdownField(source="description")
    advantages_html = StoredMarkdownField(source="advantages")
    disadvantages_html = StoredMarkdownField(source="disadvantages")
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
        return slug_url("phases:operator-model-detail", self.slug)


def public_stakeholders():
    """The public stakeholders in order, kept per content state (core/lookups.py)."""
    return lookups.cached("public-stakeholders", lambda: tuple(Stakeholder.objects.public()))


def public_operator_models():
    """The public operator models in order, kept per content state (core/lookups.py)."""
    return lookups.cached("public-operator-models", lambda: tuple(OperatorModel.objects.public()))
