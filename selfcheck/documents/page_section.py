"""The "Passende Vorlagen" section on phase and criterion pages (registered in apps.py)."""

from django.template.loader import render_to_string

from .models import Vorlage


def vorlagen_links(obj):
    """Published templates linked to a phase or criterion (``obj.vorlagen``), one query."""
    vorlagen = Vorlage.objects.published().filter(pk__in=obj.vorlagen.values("pk"))
    return render_to_string(
        "selfcheck/includes/vorlagen_links.html",
        {"vorlagen": list(vorlagen.only("slug", "title", "purpose"))},
    )
