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
opens a new one and prepares its statements afresh.
"""

import logging

from django.db import (
    InterfaceError,
    NotSupportedError,
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


def is_stale_prepared_statement(exception):
    """PostgreSQL refused a statement prepared before a column it reads changed its type."""
    cause = exception.__cause__
    return (
        isinstance(exception, NotSupportedError)
        and getattr(cause, "sqlstate", None) == "0A000"
        and "cached plan must not change result type" in str(cause)
    )


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_stale_prepared_statement(exception):
            # Prepared statements live and die with their connection.
            connections.close_all()
            logger.warning("Stale prepared statement, reconnecting (503 for %s)", request.path)
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
