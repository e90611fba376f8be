"""The "Passende Vorlagen" section on phase and criterion pages (registered in apps.py)."""

from django.template.loader import render_to_string
from django.urls import reverse

from core import lookups
from phases.models import Criterion, Phase

from .models import Vorlage

_COLUMNS = ("slug", "title", "purpose")


def _published_for(obj):
    """Published templates linked to ``obj`` (a phase or criterion), one query."""
    vorlagen = Vorlage.objects.published().filter(pk__in=obj.vorlagen.values("pk"))
    return list(vorlagen.only(*_COLUMNS))


def _published_by_item():
    """{(model label, pk): [published templates linked to it, in their order]} for every
    phase and criterion: two queries, once per content state (core/lookups.py)."""
    published = Vorlage.objects.published()
    rows = {}
    linked = {}
    for pk, slug, title, purpose, phase_id in published.values_list("pk", *_COLUMNS, "phases"):
        rows.setdefault(pk, Vorlage(pk=pk, slug=slug, title=title, purpose=purpose))
        if phase_id is not None:
            linked.setdefault((Phase._meta.label, phase_id), []).append(pk)
    for pk, criterion_id in published.values_list("pk", "criteria"):
        if criterion_id is not None:
            linked.setdefault((Criterion._meta.label, criterion_id), []).append(pk)
    return {key: [rows[pk] for pk in pks] for key, pks in linked.items()}


def vorlagen_links(obj):
    """Published templates linked to a phase or criterion (``obj.vorlagen``): on pages that
    use the lookup tables from a table kept per content state, elsewhere one query."""
    if lookups.is_active():
        table = lookups.cached("vorlagen-by-item", _published_by_item)
        vorlagen = table.get((obj._meta.label, obj.pk), ())
    else:
        vorlagen = _published_for(obj)
    links = ()
    if vorlagen:
        # Vorlage.get_absolute_url() without one reverse() per link.
        page = reverse("selfcheck:vorlagen")
        links = [(f"{page}#vorlage-{vorlage.slug}", vorlage) for vorlage in vorlagen]
    return render_to_string("selfcheck/includes/vorlagen_links.html", {"links": links})
