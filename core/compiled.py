"""Queries of a detail page whose SQL is composed once per process: its own row by its slug
and the keys of its links.

Composing a query with the visibility rule in SQL (``public_q``: a correlated subquery over
the parent tree) costs the ORM more Python than the database needs to run it. For the one
row a detail page reads by its slug the SQL is always the same except for the slug, so it
is composed once per process and database connection and then only executed.

Only for querysets whose SQL does not depend on the request or the content state. The query
is composed with the lookup tables suspended (core/lookups.py): ``public_q`` is then the rule
in SQL, never a key list of one content state.
"""

from django.db import connections

from . import lookups

_SLUG = "slug-platzhalter-0"  # never a real slug: it stands in while composing
_composed = {}  # (name, database alias, vendor): (model, SQL, parameters, slug position)


def _compose(build):
    queryset = build().filter(slug=_SLUG)[:2]
    sql, params = queryset.query.sql_with_params()
    return queryset.model, sql, params, params.index(_SLUG)


def row_by_slug(name, build, slug, using="default"):
    """The single row of ``build().filter(slug=slug)`` or None. ``build`` returns the same
    queryset (up to the slug) every time it is called under ``name``."""
    connection = connections[using]
    key = (name, using, connection.vendor)
    composed = _composed.get(key)
    if composed is None:
        with lookups.suspended():
            composed = _composed[key] = _compose(build)
    model, sql, params, position = composed
    params = [*params[:position], slug, *params[position + 1 :]]
    rows = list(model._default_manager.db_manager(using).raw(sql, params))
    return rows[0] if len(rows) == 1 else None


def _link_columns(model, name):
    """(link table, column of ``model``'s row, column of the linked row) of a many-to-many
    relation of ``model``, declared on it or on the other model (a reverse relation)."""
    field = model._meta.get_field(name)
    if field.concrete:
        through, own, other = (
            field.remote_field.through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
        )
    else:
        through, own, other = (
            field.through,
            field.field.m2m_reverse_field_name(),
            field.field.m2m_field_name(),
        )
    meta = through._meta
    return meta.db_table, meta.get_field(own).column, meta.get_field(other).column


def _keys_sql(model, names, connection):
    """``SELECT 0, workstream_id FROM … WHERE criterion_id = %s UNION ALL SELECT 1, …``."""
    key = ("keys", model, names, connection.alias, connection.vendor)
    if key not in _composed:
        quote = connection.ops.quote_name
        parts = []
        for index, name in enumerate(names):
            table, own, other = _link_columns(model, name)
            parts.append(
                f"SELECT {index}, {quote(other)} FROM {quote(table)} WHERE {quote(own)} = %s"
            )
        _composed[key] = " UNION ALL ".join(parts)
    return _composed[key]


def related_keys(model, pk, names, using="default"):
    """{relation: [keys of the linked rows]} of the row ``pk`` of ``model`` for the given
    many-to-many relations, in one query (``UNION ALL`` over their link tables).

    Plain SQL from the models' metadata: through the ORM, the same query cost a criterion
    page a millisecond per request to compose (eight querysets and their union)."""
    names = tuple(names)
    connection = connections[using]
    keys = {name: [] for name in names}
    with connection.cursor() as cursor:
        cursor.execute(_keys_sql(model, names, connection), [pk] * len(names))
        for index, target in cursor.fetchall():
            keys[names[index]].append(target)
    return keys
