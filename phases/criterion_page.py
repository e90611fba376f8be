"""What a criterion page shows around the criterion: keys from one query, rows from tables.

Everything a criterion page lists besides the criterion itself – workstreams, stakeholders,
sub-phases, operator models, milestones, examples, resources, sources and cross-references –
comes from rows every process keeps per content state (core/lookups.py), each in its model's
order. A page then only needs the keys of its links: one ``UNION ALL`` over the eight link
tables instead of one prefetch each, and nothing for the cross-references. The lists come out
in the order the prefetches had (each model's ordering) and hold only public rows (sources have
no state of their own: a page shows those of its item). The phase and the scaling driver come
from the public trees the same way.

Each row's printed values (addresses, names, labels) are prepared when a page first shows the
row and then kept per content state and script prefix, instead of being looked up, reversed
and filtered in the template on every request (and instead of preparing every row of the
content on the first request after a change). The example cards (phases/cards.py) and the
sources section (``includes/sources.html``) are rendered once per item and content state.
"""

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.text import capfirst

from core import lookups
from core.compiled_sql import CompiledValuesQuery
from core.link_keys import related_keys
from core.publishing import public_tree_nodes, public_tree_nodes_by_key

from .cards import example_card
from .models import Criterion, CrossReference, Phase, public_workstreams
from .models.references import public_link_rows
from .models.taxonomy import ScalingDriver, public_operator_models, public_stakeholders

# The columns of a criterion that its page shows (templates/phases/criterion_detail.html).
PAGE_COLUMNS = (
    *("status", "title", "slug", "summary", "phase", "scaling_driver", "transfer_relevant"),
    *("body_html", "legal_status_on", "legal_status_note", "legal_status_note_html"),
    *("editorial_assessment", "source", "source_url", "last_reviewed_at", "updated_at"),
)

# The public criterion by its slug, with the visibility rule in SQL (a subquery, valid for
# every content state), compiled once per process: composing it cost more than running it.
_PUBLIC_CRITERION = CompiledValuesQuery(
    lambda slug: Criterion.objects.public().filter(slug=slug).order_by().values("pk", *PAGE_COLUMNS)
)

SOURCES = "includes/sources.html"

# What the criterion page shows of each source (templates/includes/sources.html).
SOURCE_COLUMNS = ("title", "url", "publisher", "year", "supports", "checked_on")

# Per relation: where its public rows come from (in page order) and what the page prints of
# each (templates/phases/criterion_detail.html).
SHOWN = {
    "workstreams": lambda row: {
        "url": row.get_absolute_url(),
        "colour": row.colour,
        "name": row.name,
    },
    "stakeholders": lambda row: {"url": row.get_absolute_url(), "name": str(row)},
    "sub_phases": lambda row: {"url": row.get_absolute_url(), "name": row.name},
    "operator_models": lambda row: {
        "url": row.get_absolute_url(),
        "name": row.name,
        "summary": row.summary,
    },
    "milestones": lambda row: {
        "url": row.get_absolute_url(),
        "title": row.title,
        "phase": str(row.phase),
    },
    "examples": lambda row: row,
    "resources": lambda row: {
        "url": row.get_absolute_url(),
        "title": row.title,
        "publisher": row.publisher,
        "year": row.year,
    },
    "sources": lambda row: row,
}


def source_rows():
    """{pk: source} of every source with what ``includes/sources.html`` shows, in their
    order, kept per content state. Sources have no state of their own: a page shows those of
    its (public) item, found by the keys of its links."""

    def read():
        model = Criterion._meta.get_field("sources").related_model
        return {row.pk: row for row in model._default_manager.only(*SOURCE_COLUMNS)}

    return lookups.cached("source-rows", read)


def _public_rows():
    ends = public_link_rows(CrossReference)  # read in each model's order
    return {
        "workstreams": public_workstreams(),
        "stakeholders": public_stakeholders(),
        "sub_phases": public_tree_nodes(Phase),
        "operator_models": public_operator_models(),
        "milestones": ends["target_milestone"].values(),
        "examples": ends["target_example"].values(),
        "resources": ends["target_resource"].values(),
        "sources": source_rows().values(),
    }


def _build_tables():
    """{relation: ({pk: public row}, {pk: position})}"""
    tables = {}
    for name, rows in _public_rows().items():
        rows = {row.pk: row for row in rows}
        tables[name] = rows, {pk: position for position, pk in enumerate(rows)}
    return tables


def _memo(name):
    """A dict for values prepared on first use, kept per content state and script prefix
    (addresses include the prefix of an installation below a sub-path, as ``reverse()``)."""
    return lookups.cached((name, get_script_prefix()), dict)


def related_rows(criterion):
    """{relation: [shown row, …]} for the eight relations, in page order, public rows only.

    Each row is prepared (``SHOWN``) when a page first shows it, once per content state."""
    tables = lookups.cached("criterion-page-rows", _build_tables)
    names = tuple(tables)
    keys = related_keys(Criterion, criterion.pk, names)
    prepared = _memo("criterion-page-shown")
    lists = {}
    for name in names:
        rows, position = tables[name]
        shown = []
        for pk in sorted((pk for pk in keys[name] if pk in rows), key=position.__getitem__):
            row = prepared.get((name, pk))
            if row is None:
                row = prepared[name, pk] = SHOWN[name](rows[pk])
            shown.append(row)
        lists[name] = shown
    lists["example_cards"] = [example_card(e.pk, lambda e=e: e) for e in lists.pop("examples")]
    editorial = criterion.editorial_assessment
    lists["sources_section"] = sources_section(criterion, lists.pop("sources"), editorial)
    return lists


def sources_section(item, sources, editorial=False):
    """The "Quellen" section of ``item`` as ``includes/sources.html`` renders it, rendered
    at most once per item and content state (it shows only the item's sources and flag)."""
    sections = _memo("sources-sections")
    key = (item._meta.label, item.pk)
    html = sections.get(key)
    if html is None:
        html = sections[key] = render_to_string(
            SOURCES, {"sources": sources, "editorial": editorial}
        )
    return html


def references(criterion):
    """(outgoing, incoming) public cross-references of a criterion, as the page prints them;
    prepared when a page first shows them, once per content state."""
    prepared = _memo("criterion-page-references")
    pair = prepared.get(criterion.pk)
    if pair is None:
        outgoing, incoming = CrossReference.objects.public_by_criterion()
        pair = prepared[criterion.pk] = (
            [_outgoing(ref) for ref in outgoing.get(criterion.pk, ())],
            [_incoming(ref) for ref in incoming.get(criterion.pk, ())],
        )
    return pair


def _outgoing(ref):
    return {
        "kind": capfirst(ref.kind),
        "url": ref.target.get_absolute_url(),
        "name": str(ref.target),
        "note": ref.note,
    }


def _incoming(ref):
    return {
        "kind": ref.kind,
        "url": ref.source.get_absolute_url(),
        "name": str(ref.source),
        "note": ref.note,
    }


def public_criterion(slug):
    """The public criterion with this slug (only ``PAGE_COLUMNS`` loaded), or None. Reading
    it needs no lookup tables: an old address (redirect) or a 404 costs nothing more."""
    return _PUBLIC_CRITERION.instance(slug)


def attach_phase(criterion):
    """The criterion's phase from the public tree. A phase outside it (editors' preview of a
    draft) is left to load on access."""
    phases = public_tree_nodes_by_key(Phase)
    if criterion.phase_id in phases:
        criterion.phase = phases[criterion.phase_id]


def public_scaling_driver(criterion):
    """The criterion's scaling driver as the page prints it, or None when it has none or
    it is not public (pages name a draft driver nowhere)."""

    def build():
        return {
            pk: {"url": node.get_absolute_url(), "name": str(node), "level": node.level_name}
            for pk, node in public_tree_nodes_by_key(ScalingDriver).items()
        }

    drivers = lookups.cached(("criterion-page-drivers", get_script_prefix()), build)  # few
    return drivers.get(criterion.scaling_driver_id)
