"""The keys of a row's many-to-many links, several relations in one query.

A detail page lists what its item links to (a criterion: workstreams, milestones, examples,
sources …). Through the ORM each relation is a prefetch query, or a queryset per relation in
one union that costs about a millisecond per request to compose. Here the SQL is plain
``UNION ALL`` of the link tables, built once per process from the models' metadata; the
rows themselves come from the lookup tables (core/lookups.py).
"""

from django.db import connections

_composed = {}  # (model, relation names, database alias, vendor): SQL


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
    key = (model, names, connection.alias, connection.vendor)
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
    many-to-many relations, in one query (``UNION ALL`` over their link tables)."""
    names = tuple(names)
    connection = connections[using]
    keys = {name: [] for name in names}
    with connection.cursor() as cursor:
        cursor.execute(_keys_sql(model, names, connection), [pk] * len(names))
        for index, target in cursor.fetchall():
            keys[names[index]].append(target)
    return keys
