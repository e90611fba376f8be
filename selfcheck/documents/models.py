"""Document templates ("Vorlagen") that editors maintain and the Fahrplan fills in."""

from django.db import models
from django.urls import reverse

from core.publishing import Publishable
from phases.models import Criterion, Phase

BODY_HELP = (
    "Einfaches Format, eine Zeile je Element: „# “ Überschrift, „## “ Unterüberschrift, "
    "„- “ Aufzählungspunkt, Leerzeile trennt Absätze. Platzhalter im Text: {loesung}, "
    "{kommune}, {betreibermodell}, {jahreskosten}, {foerderende}, {datum}. Platzhalter allein "
    "in einer Zeile fügen Listen ein: {erreichte_meilensteine}, {offene_meilensteine}, "
    "{entscheidungen}, {kapitel_je_arbeitsstrang}."
)


class Vorlage(Publishable):
    class Kind(models.TextChoices):
        RESOLUTION = "beschlussvorlage", "Beschlussvorlage"
        OPERATING_CONCEPT = "betriebskonzept", "Betriebskonzept"

    title = models.CharField("Titel", max_length=200, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    purpose = models.CharField(
        "Wofür?", max_length=400, help_text="Ein bis zwei Sätze für die Übersicht der Vorlagen."
    )
    body = models.TextField("Textbausteine", help_text=BODY_HELP)
    phases = models.ManyToManyField(
        Phase,
        verbose_name="passend zu Phasen",
        blank=True,
        related_name="vorlagen",
        limit_choices_to={"parent__isnull": True},
    )
    criteria = models.ManyToManyField(
        Criterion, verbose_name="passend zu Kriterien", blank=True, related_name="vorlagen"
    )

    class Meta:
        ordering = ["order", "title"]
        verbose_name = "Vorlage"
        verbose_name_plural = "Vorlagen"
        permissions = [("publish_vorlage", "Darf Vorlagen veröffentlichen")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('selfcheck:vorlagen')}#vorlage-{self.slug}"
