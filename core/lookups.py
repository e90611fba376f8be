"""In-process cache of small lookup tables (public phase ids, workstreams …), per content state.

Pages filter almost every list by the visibility rule of its parents ("a criterion of a draft
phase is not public"). Evaluated in SQL, that rule is a correlated subquery in every query of
every page; building those queries was a third of a phase page's time. The small tables the
rule depends on change only when editors save, so each process keeps them here.

Validity: ``core.models.ContentGeneration`` holds one token, replaced by a new random one in
the same transaction as every content change (``bump()``, called from the page cache's signal
handler for every content model). Each request reads the token once (one tiny query, the
first time a lookup is needed) and uses the cached tables only if they were built under that
token; otherwise they are built again. So

- every process (several gunicorn workers, several machines) sees a change with its next
  request after the commit, with or without a shared cache server;
- a rolled-back change rolls the token back too, and tables built inside that transaction
  carry a token that never becomes current again;
- a process never mixes tables of two content states within one request.

Opt-in per view (``LookupTablesMixin``): the token read is one more query, which pays off on
pages with many lists (phase, criterion, explorer …) but not on pages that need a single
query (open data, search drill-down, sitemap, exports). Everywhere else – other views,
management commands, code outside a request – nothing is cached, the token is never read and
the visibility rule stays a subquery in SQL (``core.publishing.public_tree_q``). Without the
row (a flushed database) nothing is cached either. Content written without
model signals (``QuerySet.update()``, ``bulk_create``) must call ``bump()`` itself, as
``generate_synthetic_content`` does; ``migrate`` bumps at its end.
"""

import secrets
import threading
from contextlib import contextmanager

from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction

_UNKNOWN = object()
_request = threading.local()  # token of the current request in this thread
_tables = (None, {})  # (token, {name: value}); replaced as a whole, never mutated across tokens


def _table():
    from .models import ContentGeneration

    return ContentGeneration._meta.db_table


def read_token():
    """The content token in the database now (no per-request memo)."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {connection.ops.quote_name(_table())} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def activate():
    """Use the lookup tables for the rest of this request (see the module docstring)."""
    _request.active = True


def is_active():
    return getattr(_request, "active", False)


@contextmanager
def suspended():
    """No lookup tables inside the block, e.g. for SQL that must hold for every content state
    (core/compiled_sql.py)."""
    was_active = is_active()
    _request.active = False
    try:
        yield
    finally:
        _request.active = was_active


def current_token():
    token = getattr(_request, "token", _UNKNOWN)
    if token is _UNKNOWN:
        token = _request.token = read_token()
    return token


def cached(name, build):
    """``build()``'s value, built at most once per content state in this process (in a
    request that activated the tables; otherwise simply ``build()``)."""
    global _tables
    if not is_active():
        return build()
    token = current_token()
    if token is None:
        return build()
    built_under, values = _tables
    if built_under != token:
        values = {}
        _tables = (token, values)
    try:
        return values[name]
    except KeyError:
        value = values[name] = build()
        return value


def bump(using=DEFAULT_DB_ALIAS):
    """Give the content a new token (inside the caller's transaction, if any)."""
    from .models import ContentGeneration

    token = secrets.token_hex(16)
    if not ContentGeneration.objects.using(using).filter(pk=1).update(token=token):
        with transaction.atomic(using=using):  # a savepoint: a parallel insert must not
            ContentGeneration.objects.using(using).get_or_create(pk=1, defaults={"token": token})
    _request.__dict__.pop("token", None)
    from . import baking  # imports this module

    baking.refresh_after_commit(using)


def _start(**kwargs):
    _request.__dict__.pop("token", None)
    _request.active = False


def deactivate(**kwargs):
    """Back to no lookup tables (at the end of every request)."""
    _request.__dict__.pop("token", None)
    _request.active = False


def connect_signals():
    request_started.connect(_start, dispatch_uid="lookups-request-started")
    request_finished.connect(deactivate, dispatch_uid="lookups-request-finished")


class LookupTablesMixin:
    """For views of pages with many lists: use the lookup tables for this request."""

    def dispatch(self, request, *args, **kwargs):
        activate()
        return super().dispatch(request, *args, **kwargs)
