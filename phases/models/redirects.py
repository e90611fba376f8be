"""Former criterion addresses that answer with a permanent redirect (301).

When the editors merge two criteria, the one that goes away keeps its address as a
``CriterionRedirect`` to the one that stays: bookmarks, links in council papers and search
engines keep working. The criterion detail view consults this table only when no visible
criterion has the requested slug, so a live criterion always wins over an old address.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponsePermanentRedirect

from core.publishing import Status


class CriterionRedirectQuerySet(models.QuerySet):
    def get_by_natural_key(self, old_slug):
        return self.get(old_slug=old_slug)

    def target_for(self, old_slug):
        """The public criterion that ``old_slug`` now points to, or None.

        A redirect to a draft (or to a criterion of a draft phase) is not followed: the
        visitor would only land on a 404 one hop later.
        """
        redirect = (
            self.filter(
                old_slug=old_slug,
                criterion__status=Status.PUBLISHED,
                criterion__phase__status=Status.PUBLISHED,
            )
            .select_related("criterion")
            .only("criterion__slug")
            .first()
        )
        return redirect.criterion if redirect else None


class CriterionRedirect(models.Model):
    """An old criterion slug and the criterion that now covers its content."""

    old_slug = models.SlugField(
        "frühere Adresse (Kurzname)",
        max_length=120,
        unique=True,
        help_text="Der Kurzname aus der alten Adresse, z. B. „nutzertests“ für "
        "/kriterien/nutzertests/. Er darf nicht der Kurzname eines bestehenden Kriteriums sein.",
    )
    criterion = models.ForeignKey(
        "phases.Criterion",
        verbose_name="leitet weiter zu",
        on_delete=models.CASCADE,
        related_name="former_addresses",
    )
    note = models.CharField(
        "Anlass",
        max_length=300,
        blank=True,
        help_text="Zum Beispiel: „Mit ‚Nutzerzentrierung‘ zusammengeführt (Dezember 2026).“",
    )

    objects = CriterionRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "frühere Adresse"
        verbose_name_plural = "frühere Adressen (Weiterleitungen)"

    def __str__(self):
        return f"/kriterien/{self.old_slug}/ → {self.criterion_id and self.criterion}"

    def natural_key(self):
        return (self.old_slug,)

    def clean(self):
        from .criteria import Criterion

        if self.old_slug and Criterion.objects.filter(slug=self.old_slug).exists():
            raise ValidationError(
                {
                    "old_slug": "Unter dieser Adresse steht bereits ein Kriterium. Eine "
                    "Weiterleitung würde dort nie greifen. Geben Sie dem Kriterium zuerst einen "
                    "anderen Kurznamen oder wählen Sie eine andere frühere Adresse."
                }
            )


def slug_taken_by_redirect(slug, exclude_criterion=None):
    """True if ``slug`` is already a former address (of another criterion than the given)."""
    redirects = CriterionRedirect.objects.filter(old_slug=slug)
    if exclude_criterion is not None and exclude_criterion.pk:
        redirects = redirects.exclude(criterion=exclude_criterion)
    return redirects.exists()


def redirect_permanently(request, url):
    """A 301 to ``url`` that keeps the query string (filters, tracking-free bookmarks)."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
