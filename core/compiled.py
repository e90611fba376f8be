"""A detail page's own row by its slug, with SQL the ORM composes once per process.

Composing a query with the visibility rule in SQL (``public_q``: a correlated subquery over
the parent tree) costs the ORM more Python than the database needs to run it. For the one
row a detail page reads by its slug the SQL is always the same except for the slug, so it
is composed once per process and database connection and then only executed.

Only for querysets whose SQL does not depend on the request or the content state: build them
outside a request that uses the lookup tables (core/lookups.py), where ``public_q`` is the
rule in SQL and never a key list of one content state.
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
        if lookups.is_active():
            raise RuntimeError("Compose this query before activating the lookup tables.")
        composed = _composed[key] = _compose(build)
    model, sql, params, position = composed
    params = [*params[:position], slug, *params[position + 1 :]]
    rows = list(model._default_manager.db_manager(using).raw(sql, params))
    return rows[0] if len(rows) == 1 else None
