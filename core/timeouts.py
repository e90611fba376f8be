"""A request that waits too long – usually for a hung database – ends with the German 503 page.

PostgreSQL gets ``connect_timeout`` and ``statement_timeout`` (settings.py), but a server that
is frozen (overloaded, stopped, a network path that swallows packets) cannot enforce its own
statement timeout, and an open connection would wait for its answer forever. So each request
also has a deadline of ``settings.REQUEST_TIMEOUT`` seconds (0: none), below gunicorn's
``timeout``: when it passes, the request is interrupted (SIGALRM, raised as
``OperationalError`` wherever the worker waits), its database connections are dropped and
the visitor gets the 503 page instead of gunicorn's plain error or a dropped connection.

After a deadline has passed, the process expects the database to hang for a while: for
``HANG_SUSPECTED_SECONDS`` its requests get the short deadline
``settings.REQUEST_TIMEOUT_AFTER_HANG``. A request that queued behind a hung one then still
gets its 503 page within seconds, instead of waiting for the full deadline (or a full connect
timeout) a second time.

Only in the main thread (gunicorn's sync workers): signals are delivered there alone, so the
threaded development server and gthread workers simply run without the deadline.
"""

import logging
import signal
import threading
import time

from django.conf import settings
from django.db import OperationalError, connections

from .outage import service_unavailable

logger = logging.getLogger(__name__)

HANG_SUSPECTED_SECONDS = 15
_hang_suspected_until = 0.0  # monotonic time, per process


class RequestTimeout(OperationalError):
    """Raised inside the request when its deadline passes."""


def _deadline_possible():
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def request_deadline():
    """Seconds this request may take (0: no deadline)."""
    seconds = getattr(settings, "REQUEST_TIMEOUT", 0)
    if seconds and time.monotonic() < _hang_suspected_until:
        return min(seconds, getattr(settings, "REQUEST_TIMEOUT_AFTER_HANG", 2))
    return seconds


def _suspect_hang():
    global _hang_suspected_until
    _hang_suspected_until = time.monotonic() + HANG_SUSPECTED_SECONDS


def _drop_connections():
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # the connection is broken anyway; the next request reconnects
            logger.debug("Closing %s after a timeout failed", connection.alias, exc_info=True)


class RequestDeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = request_deadline()
        if not seconds or not _deadline_possible():
            return self.get_response(request)
        state = {"armed": True, "fired": False}

        def expire(signum, frame):
            if state["armed"]:
                state["fired"] = True
                _suspect_hang()
                # Closed first: leaving an atomic block must not wait for a ROLLBACK that a
                # hung server would never answer (Django skips it for a closed connection).
                _drop_connections()
                raise RequestTimeout(f"request timeout: no answer within {seconds} s")

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        response = None
        try:
            response = self.get_response(request)
        except RequestTimeout:
            pass
        finally:
            state["armed"] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if state["fired"]:
            logger.error(
                "Request for %s took longer than %s s; answered 503", request.path, seconds
            )
            if response is None or response.status_code != 503:  # 503: already answered
                return service_unavailable()
        return response
