from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.publishing import Publishable
from core.stored_markdown import StoredMarkdownField


class GlossaryTerm(Publishable):
    term = models.CharField("Begriff", max_length=120, unique=True)
    slug = models.SlugField("Kurzname in der Adresse", max_length=120, unique=True)
    abbreviation = models.CharField("Abkürzung", max_length=20, blank=True)
    definition = models.TextField(
        "Erklärung", help_text="Zwei bis vier Sätze in einfacher Sprache. Markdown erlaubt."
    )
    definition_html = StoredMarkdownField(source="definition")
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    class Meta:
        ordering = ["term"]
        verbose_name = "Glossarbegriff"
        verbose_name_plural = "Glossar"
        permissions = [("publish_glossaryterm", "Darf Glossarbegriffe veröffentlichen")]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return f"{reverse('glossary')}#{self.slug}"


# Information pages are reachable only under these fixed addresses (see information/urls.py);
# everything else at the top level belongs to other apps or is a 404.
INFORMATION_PAGE_SLUGS = ("impressum", "datenschutz", "barrierefreiheit", "leichte-sprache")


class Page(Publishable):
    """An editable information page such as the Impressum or the Datenschutzerklärung."""

    title = models.CharField("Titel", max_length=200)
    slug = models.SlugField(
        "Kurzname in der Adresse",
        max_length=60,
        unique=True,
        help_text="Bestimmt die Adresse, z. B. „impressum“ für /impressum/. "
        "Möglich sind: " + ", ".join(INFORMATION_PAGE_SLUGS) + ".",
    )
    lead = models.CharField(
        "Einleitung", max_length=400, blank=True, help_text="Ein bis zwei Sätze unter dem Titel."
    )
    body = models.TextField(
        "Text", help_text="Markdown: **fett**, *kursiv*, Listen mit „-“, Zwischentitel mit „## “."
    )
    body_html = StoredMarkdownField(source="body")
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    show_in_footer = models.BooleanField(
        "gehört in die Fußzeile",
        default=False,
        help_text="Markiert Seiten, die in die Fußzeile gehören. Impressum, Datenschutz, "
        "Barrierefreiheit und Leichte Sprache sind dort immer verlinkt.",
    )

    class Meta:
        ordering = ["order", "title"]
        verbose_name = "Informationsseite"
        verbose_name_plural = "Informationsseiten"
        permissions = [("publish_page", "Darf Informationsseiten veröffentlichen")]

    def __str__(self):
        return self.title

    def clean(self):
        # In clean(), not as a field validator: a validator function would tie the
        # migrations to this module.
        super().clean()
        if self.slug and self.slug not in INFORMATION_PAGE_SLUGS:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        "Unter diesem Kurznamen ist keine Seite erreichbar. "
                        "Möglich sind: %(slugs)s.",
                        code="unrouted_slug",
                        params={"slugs": ", ".join(INFORMATION_PAGE_SLUGS)},
                    )
                }
            )

    def get_absolute_url(self):
        return reverse("page", kwargs={"slug": self.slug})
