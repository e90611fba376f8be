"""A criterion page's related rows: keys from one query, rows from the lookup tables.

Everything a criterion page lists besides the criterion itself – workstreams, stakeholders,
sub-phases, operator models, milestones, examples, resources and sources – are rows every
process keeps per content state (core/lookups.py), each in its model's order. A criterion page
then only needs the keys of its links: one ``UNION ALL`` over the eight link tables instead of
one prefetch each. The lists come out in the order the prefetches had (each model's ordering)
and hold only public rows (sources have no state of their own: a page shows those of its item).
The phase and the scaling driver come from the public trees the same way.
"""

from django.db import connections

from core import lookups
from core.publishing import public_tree_nodes

from .criteria import Criterion
from .references import CrossReference, public_link_rows
from .structure import Phase, public_workstreams
from .taxonomy import ScalingDriver, public_operator_models, public_stakeholders

# What the criterion page shows of each source (templates/includes/sources.html).
SOURCE_COLUMNS = ("title", "url", "publisher", "year", "supports", "checked_on")


def _read_sources():
    model = Criterion._meta.get_field("sources").related_model
    return {row.pk: row for row in model._default_manager.only(*SOURCE_COLUMNS)}


def _ordered(rows):
    """(rows by key, position of each key) for rows in page order."""
    rows = {row.pk: row for row in rows}
    return rows, {pk: position for position, pk in enumerate(rows)}


def _build_tables():
    ends = public_link_rows(CrossReference)
    return {
        "workstreams": _ordered(public_workstreams()),
        "stakeholders": _ordered(public_stakeholders()),
        "sub_phases": _ordered(public_tree_nodes(Phase)),
        "operator_models": _ordered(public_operator_models()),
        # The link rows of cross-references, read in each model's order.
        "milestones": _ordered(ends["target_milestone"].values()),
        "examples": _ordered(ends["target_example"].values()),
        "resources": _ordered(ends["target_resource"].values()),
        "sources": _ordered(lookups.cached("criterion-page-sources", _read_sources).values()),
    }


_KEYS_SQL = {}  # (relation names, database vendor): SQL


def _tables():
    return lookups.cached("criterion-page-relations", _build_tables)


def _link_keys(name):
    """(link table, column of this criterion, column of the linked row) of a relation."""
    field = Criterion._meta.get_field(name)
    if field.concrete:  # declared on Criterion
        through, own, other = (
            field.remote_field.through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
        )
    else:  # a reverse relation: declared by the examples app, which builds on this one
        through, own, other = (
            field.through,
            field.field.m2m_reverse_field_name(),
            field.field.m2m_field_name(),
        )
    meta = through._meta
    return meta.db_table, meta.get_field(own).column, meta.get_field(other).column


def _keys_sql(names, connection):
    """``SELECT 0, workstream_id FROM … WHERE criterion_id = %s UNION ALL SELECT 1, …``.

    Plain SQL from the models' metadata, built once per process: the same query through the
    ORM cost a millisecond per request to compose (eight querysets and their union)."""
    key = (names, connection.vendor)
    if key in _KEYS_SQL:
        return _KEYS_SQL[key]
    quote = connection.ops.quote_name
    parts = []
    for index, name in enumerate(names):
        table, own, other = _link_keys(name)
        parts.append(f"SELECT {index}, {quote(other)} FROM {quote(table)} WHERE {quote(own)} = %s")
    sql = _KEYS_SQL[key] = " UNION ALL ".join(parts)
    return sql


def attach_relations(criterion):
    """Fill ``criterion.<relation>.all()`` for the eight relations, as a prefetch would."""
    tables = _tables()
    names = tuple(tables)
    keys = {name: [] for name in names}
    connection = connections[Criterion.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(_keys_sql(names, connection), [criterion.pk] * len(names))
        for index, target in cursor.fetchall():
            keys[names[index]].append(target)
    prefetched = criterion.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in names:
        rows, position = tables[name]
        queryset = getattr(criterion, name).all()
        shown = sorted((pk for pk in keys[name] if pk in rows), key=position.__getitem__)
        queryset._result_cache = [rows[pk] for pk in shown]
        queryset._prefetch_done = True
        prefetched[name] = queryset


def attach_phase_and_scaling_driver(criterion):
    """The criterion's phase and scaling driver from the public trees, and
    ``scaling_driver_is_public`` (pages name a draft driver nowhere). A phase outside the
    public tree (editors' preview of a draft) is left to load on access."""
    phases = lookups.cached("public-nodes-by-key:phase", lambda: _by_key(Phase))
    drivers = lookups.cached("public-nodes-by-key:driver", lambda: _by_key(ScalingDriver))
    if criterion.phase_id in phases:
        criterion.phase = phases[criterion.phase_id]
    driver = drivers.get(criterion.scaling_driver_id)
    criterion.scaling_driver_is_public = driver is not None
    if driver is not None:
        criterion.scaling_driver = driver


def _by_key(model):
    return {node.pk: node for node in public_tree_nodes(model)}
