"""Practice examples from municipalities and further resources."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.links import slug_url
from core.publishing import Publishable, SlugKeyedMixin
from core.stored_markdown import StoredMarkdownField
from phases.models import MARKDOWN_HELP, Criterion, OperatorModel, Phase


class FederalState(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"
    MULTI = "DE", "mehrere Länder / bundesweit"


class PracticeExample(Publishable):
    class SizeClass(models.TextChoices):
        LARGE_CITY = "grossstadt", "Großstadt"
        MEDIUM_TOWN = "mittelstadt", "Mittelstadt"
        SMALL_TOWN = "kleinstadt", "Kleinstadt"
        DISTRICT = "landkreis", "Landkreis"
        REGION = "region", "Region"

    class SolutionType(models.TextChoices):
        APP = "app", "Stadt-App"
        DATA_PLATFORM = "datenplattform", "Datenplattform"
        SENSOR_NETWORK = "sensornetz", "Sensornetz"
        DIGITAL_TWIN = "digitaler-zwilling", "Digitaler Zwilling"
        PARTICIPATION = "beteiligung", "Beteiligungsplattform"
        MOBILITY = "mobilitaet", "Mobilitätsangebot"
        SERVICE = "verwaltungsdienst", "Verwaltungsdienst"
        INFRASTRUCTURE = "infrastruktur", "Infrastruktur und Netz"
        OTHER = "sonstiges", "Sonstiges"

    class Evidence(models.TextChoices):
        DOCUMENTED = "documented", "dokumentiertes Beispiel"
        ILLUSTRATIVE = "illustrative", "veranschaulichendes Szenario"

    title = models.CharField("Titel", max_length=200, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    municipality = models.CharField(
        "Kommune",
        max_length=160,
        help_text="Bei Szenarien allgemein halten, z. B. „eine Mittelstadt in Süddeutschland“.",
    )
    state = models.CharField("Land", max_length=2, choices=FederalState.choices)
    size_class = models.CharField("Größenklasse", max_length=12, choices=SizeClass.choices)
    solution_type = models.CharField("Art der Lösung", max_length=20, choices=SolutionType.choices)
    phase_reached = models.ForeignKey(
        Phase,
        verbose_name="erreichte Phase",
        on_delete=models.PROTECT,
        related_name="examples",
        limit_choices_to={"parent__isnull": True},
    )
    summary = models.CharField("Kurzbeschreibung", max_length=400)
    body = models.TextField("Beschreibung", help_text=MARKDOWN_HELP)
    lessons_learned = models.TextField(
        "Was die Skalierung getragen hat", blank=True, help_text=MARKDOWN_HELP
    )
    body_html = StoredMarkdownField(source="body")
    lessons_learned_html = StoredMarkdownField(source="lessons_learned")
    evidence = models.CharField(
        "Art des Beispiels",
        max_length=12,
        choices=Evidence.choices,
        help_text="Dokumentiert: nur öffentlich belegte Fakten, mit Quelle. "
        "Szenario: allgemeine Kommune, keine erfundenen Fakten über reale Orte.",
    )
    source_url = models.URLField("Quelle", blank=True)
    checked_on = models.DateField(
        "Stand (Quellen geprüft am)",
        null=True,
        blank=True,
        help_text="Pflicht für dokumentierte Beispiele: wann die Redaktion die Quellen "
        "zuletzt geprüft hat.",
    )
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)
    criteria = models.ManyToManyField(
        Criterion, verbose_name="veranschaulicht Kriterien", blank=True, related_name="examples"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "Praxisbeispiel"
        verbose_name_plural = "Praxisbeispiele"
        permissions = [("publish_practiceexample", "Darf Praxisbeispiele veröffentlichen")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(evidence="documented") | ~Q(source_url=""),
                name="documented_example_has_source",
                violation_error_message="Ein dokumentiertes Beispiel braucht eine Quelle.",
            )
        ]

    def __str__(self):
        return self.title

    @classmethod
    def public_q(cls, prefix=""):
        """Published, with a public "phase reached" (the card and the page name it)."""
        return super().public_q(prefix) & Phase.public_q(f"{prefix}phase_reached__")

    def get_absolute_url(self):
        return slug_url("examples:example-detail", self.slug)


class Resource(Publishable):
    class Kind(models.TextChoices):
        STUDY = "study", "Studie"
        GUIDE = "guide", "Leitfaden"
        TOOL = "tool", "Werkzeug"
        TEMPLATE = "template", "Vorlage"
        STANDARD = "standard", "Norm und Standard"
        DATABASE = "database", "Datenbank"
        PLATFORM = "platform", "Plattform"

    title = models.CharField("Titel", max_length=300)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    publisher = models.CharField("Herausgeber", max_length=200)
    year = models.PositiveSmallIntegerField("Jahr", null=True, blank=True)
    kind = models.CharField("Art", max_length=10, choices=Kind.choices)
    url = models.URLField("Link", blank=True)
    description = models.TextField("Beschreibung", blank=True, help_text=MARKDOWN_HELP)
    description_html = StoredMarkdownField(source="description")
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)
    criteria = models.ManyToManyField(
        Criterion, verbose_name="passt zu Kriterien", blank=True, related_name="resources"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "Ressource"
        verbose_name_plural = "Ressourcen"
        permissions = [("publish_resource", "Darf Ressourcen veröffentlichen")]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1990, year__lte=2100),
                name="resource_year_plausible",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("examples:resource-list") + f"#{self.slug}"


class SourceManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def public(self):
        return self.filter(self.model.public_q())


class Source(SlugKeyedMixin, models.Model):
    """A public document that a criterion, example, operator model or phase rests on.

    Sources are shown under "Quellen" on the pages of the items they support; they have no
    page and no publication state of their own, so only published items ever show them.
    """

    title = models.CharField("Titel", max_length=300)
    slug = models.SlugField("Kurzname", max_length=120, unique=True)
    publisher = models.CharField("Herausgeber", max_length=200)
    year = models.PositiveSmallIntegerField("Jahr", null=True, blank=True)
    url = models.URLField("Link", max_length=500, blank=True)
    supports = models.TextField(
        "Was die Quelle belegt",
        blank=True,
        help_text="Ein bis zwei Sätze in eigenen Worten: welche Aussage diese Quelle stützt.",
    )
    checked_on = models.DateField(
        "geprüft am",
        null=True,
        blank=True,
        help_text="Wann die Redaktion den Link und die Aussage geprüft hat.",
    )
    criteria = models.ManyToManyField(
        Criterion, verbose_name="belegt Kriterien", blank=True, related_name="sources"
    )
    examples = models.ManyToManyField(
        PracticeExample, verbose_name="belegt Praxisbeispiele", blank=True, related_name="sources"
    )
    operator_models = models.ManyToManyField(
        OperatorModel, verbose_name="belegt Betreibermodelle", blank=True, related_name="sources"
    )
    phases = models.ManyToManyField(
        Phase, verbose_name="belegt Phasen", blank=True, related_name="sources"
    )
    # A default instead of auto_now: loaddata saves raw and skips pre_save. The open data's
    # ETag follows this time stamp (opendata.export.content_version).
    updated_at = models.DateTimeField("zuletzt geändert", default=timezone.now, editable=False)

    objects = SourceManager()

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = "Quelle"
        verbose_name_plural = "Quellen"
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1949, year__lte=2100),
                name="source_year_plausible",
            )
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}" + (f" ({self.year})" if self.year else "")

    @classmethod
    def public_q(cls, prefix=""):
        """Cited by at least one public criterion, example, operator model or phase: a source
        of drafts only stays out of the open data. Sources have no state of their own."""
        cited = (
            Criterion.public_q("criteria__")
            | PracticeExample.public_q("examples__")
            | OperatorModel.public_q("operator_models__")
            | Phase.public_q("phases__")
        )
        return Q(**{f"{prefix}pk__in": cls.objects.filter(cited).values("pk")})
