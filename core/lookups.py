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

Outside a request (management commands, tests calling code directly) the token is read for
every lookup. Without the row (a flushed database) nothing is cached. Content written without
model signals (``QuerySet.update()``, ``bulk_create``) must call ``bump()`` itself, as
``generate_synthetic_content`` does; ``migrate`` bumps at its end.
"""

import secrets
import threading

from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction

_UNKNOWN = object()
_request = threading.local()  # token of the current request in this thread
_tables = (None, {})  # (token, {name: value}); replaced as a whole, never mutated across tokens


def _table():
    from .models import ContentGeneration

    return ContentGeneration._meta.db_table


def _read_token():
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {connection.ops.quote_name(_table())} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def current_token():
    token = getattr(_request, "token", _UNKNOWN)
    if token is _UNKNOWN:
        token = _read_token()
        if getattr(_request, "active", False):
            _request.token = token
    return token


def cached(name, build):
    """``build()``'s value, built at most once per content state in this process."""
    global _tables
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


def _start(**kwargs):
    _request.__dict__.pop("token", None)
    _request.active = True


def _finish(**kwargs):
    _request.__dict__.pop("token", None)
    _request.active = False


def connect_signals():
    request_started.connect(_start, dispatch_uid="lookups-request-started")
    request_finished.connect(_finish, dispatch_uid="lookups-request-finished")
