"""A ``values()`` query of fixed shape, compiled to SQL once per process and run with new values.

Building a queryset and compiling it to SQL costs far more Python than running it: on the
search overview (seven queries that differ only in the search words) it was about 60 % of
the request. ``CompiledValuesQuery`` builds the queryset once with placeholder values,
keeps Django's compiled SQL, and then only swaps the real values into the parameters.

What it may hold, and why that is safe:

- the SQL must not depend on anything but the placeholders: it is compiled with the lookup
  tables off (``core.lookups.suspended``), so visibility rules stay subqueries in SQL instead
  of key lists of one content state; querysets must not read the clock or the request;
- every placeholder must reach the parameters unchanged (a ``contains`` lookup that turns it
  into ``%…%`` is refused when compiling, not silently wrong later);
- rows pass through Django's own converters, as with ``QuerySet.values()``.
"""

import secrets
import threading

from django.db import DEFAULT_DB_ALIAS, connections

from . import lookups

_TOKEN = secrets.token_hex(8)


class CompiledValuesQuery:
    """``build(*placeholders)`` returns a ``values()`` queryset (without slicing); ``rows(*values,
    limit=…, offset=…)`` runs it with ``values`` in place of the placeholders."""

    def __init__(self, build, arity=1):
        self.build = build
        self.placeholders = tuple(f"__placeholder_{index}_{_TOKEN}__" for index in range(arity))
        self._compiled = {}  # database alias -> (sql, params, compiler, names)
        self._lock = threading.Lock()

    def _compile(self, using):
        with lookups.suspended():
            queryset = self.build(*self.placeholders)
            query = queryset.query
            compiler = query.get_compiler(using=using)
            sql, params = compiler.as_sql()
        for param in params:
            if isinstance(param, str) and _TOKEN in param and param not in self.placeholders:
                raise ValueError(f"A lookup changed a placeholder into {param!r}: {sql}")
        for placeholder in self.placeholders:
            if placeholder not in params:
                raise ValueError(f"A placeholder is not among the parameters: {sql}")
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return sql, tuple(params), compiler, names

    def compiled(self, using=DEFAULT_DB_ALIAS):
        try:
            return self._compiled[using]
        except KeyError:
            with self._lock:
                compiled = self._compiled[using] = self._compile(using)
            return compiled

    def rows(self, *values, limit=None, offset=0, using=DEFAULT_DB_ALIAS):
        """The rows as dicts (like ``values()``), at most ``limit`` from ``offset`` on."""
        sql, params, compiler, names = self.compiled(using)
        swap = dict(zip(self.placeholders, values, strict=True))
        params = [swap.get(param, param) if isinstance(param, str) else param for param in params]
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [
            dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[fetched])
        ]

    def instance(self, *values, using=DEFAULT_DB_ALIAS):
        """The one row for ``values`` as an instance of the queryset's model
        (``instance_from_row``), or None when there is no row or more than one."""
        rows = self.rows(*values, limit=2, using=using)
        if len(rows) != 1:
            return None
        model = self.compiled(using)[2].query.model
        return instance_from_row(model, rows[0], using)


def instance_from_row(model, row, using=DEFAULT_DB_ALIAS):
    """A ``model`` instance from a ``values()`` row, for code written against instances
    (``get_absolute_url``, ``__str__``, ``get_…_display``). Keys are field paths: ``pk``,
    ``title``, ``phase`` (the key) and ``phase__slug`` become the instance, its ``phase_id``
    and a related instance holding what the row has of it. Other keys (annotations) are left
    out. Fields the row lacks are deferred: reading one would cost a query."""
    own, related = {}, {}
    for path, value in row.items():
        name, _, rest = path.partition("__")
        if rest:
            related.setdefault(name, {})[rest] = value
        else:
            own[name] = value
    if "pk" in own:
        own[model._meta.pk.name] = own.pop("pk")
    loaded = {}
    for field in model._meta.concrete_fields:
        if field.name in own:
            loaded[field.attname] = own[field.name]
    obj = model.from_db(using, list(loaded), list(loaded.values()))
    for name, values in related.items():
        field = model._meta.get_field(name)
        if all(value is None for value in values.values()):
            field.set_cached_value(obj, None)  # no related row (a nullable key)
        else:
            field.set_cached_value(obj, instance_from_row(field.related_model, values, using))
    return obj
