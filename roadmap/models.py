from django.db import models
from django.urls import reverse

from roadmap.publishing import Publishable


class GlossaryTerm(Publishable):
    term = models.CharField("Begriff", max_length=120, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    abbreviation = models.CharField("Abkürzung", max_length=20, blank=True)
    definition = models.TextField(
        "Erklärung", help_text="Zwei bis vier Sätze in einfacher Sprache. Markdown erlaubt."
    )

    class Meta:
        ordering = ["term"]
        verbose_name = "Glossarbegriff"
        verbose_name_plural = "Glossar"

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return f"{reverse('glossary')}#{self.slug}"
