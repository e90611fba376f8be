"""A database outage answers with a German 503 page instead of a 500 with a stack trace.

``process_exception`` sees every exception a view (or its template) raises. Connection
problems of the database (``OperationalError``, ``InterfaceError``) become the page
``503.html`` with ``Retry-After``; Django reconnects on the next request by itself
(``CONN_HEALTH_CHECKS``), so the site recovers without a restart.

The same page answers while the database lags behind the code (a deploy that has not run
``migrate`` yet): a missing table or column is a ``ProgrammingError`` on PostgreSQL and an
``OperationalError`` on SQLite. A ``ProgrammingError`` with all migrations applied is a bug
and stays a 500.

Between ``migrate`` and the restart, a worker of the old release may hold a prepared statement
(``DJANGO_DB_PREPARED_STATEMENTS``) that reads a column whose type the migration changed;
PostgreSQL then refuses it on that connection for good ("cached plan must not change result
type"). That request gets the 503 page too, and the connection is closed: the next request
opens a new one and prepares its statements afresh. The same happens when prepared statements
meet a pooler in transaction mode (PgBouncer) against docs/betrieb.md; the log then names the
setting to change.
"""

import logging

from django.db import (
    InterfaceError,
    OperationalError,
    ProgrammingError,
    connections,
)
from django.http import HttpResponse
from django.template.loader import render_to_string

from . import health

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
FALLBACK_TEXT = (
    "Die Skalierungsroadmap ist vorübergehend nicht erreichbar. "
    "Bitte versuchen Sie es in einigen Minuten noch einmal."
)


def service_unavailable():
    """The 503 response; rendered without the request, so it needs no database at all."""
    try:
        response = HttpResponse(render_to_string("503.html"), status=503)
    except Exception:  # the error page itself must never fail
        logger.exception("Could not render 503.html")
        response = HttpResponse(FALLBACK_TEXT, status=503, content_type="text/plain")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def prepared_statement_problem(exception):
    """Why PostgreSQL refused a prepared statement (``DJANGO_DB_PREPARED_STATEMENTS``), or None.

    ``"stale"``: it was prepared before ``migrate`` changed the type of a column it reads.
    ``"pooled"``: it was prepared on another server connection, or another client's statement
    of the same name is there – a pooler in transaction mode (PgBouncer) sits in between.
    """
    cause = exception.__cause__
    state = getattr(cause, "sqlstate", None)
    if state == "0A000" and "cached plan must not change result type" in str(cause):
        return "stale"
    if state in ("26000", "42P05"):  # invalid_sql_statement_name, duplicate_prepared_statement
        return "pooled"
    return None


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        problem = prepared_statement_problem(exception)
        if problem:
            # Prepared statements live and die with their connection.
            connections.close_all()
            if problem == "pooled":
                logger.error(
                    "Prepared statement on another server connection (a pooler in transaction "
                    "mode?): set DJANGO_CONN_MAX_AGE=0 or DJANGO_DB_PREPARED_STATEMENTS=0; "
                    "answered 503 for %s: %s",
                    request.path,
                    exception,
                )
            else:
                logger.warning("Stale prepared statement, reconnected (503 for %s)", request.path)
            return service_unavailable()
        if isinstance(exception, ProgrammingError):
            if health.check_schema() != "migrations_pending":
                return None
            logger.error("Migrations pending, answered 503 for %s: %s", request.path, exception)
            return service_unavailable()
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable, answered 503 for %s: %s: %s",
            request.path,
            type(exception).__name__,
            exception,
        )
        return service_unavailable()
