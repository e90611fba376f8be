"""The health check for load balancers: each dependency's state in a short English word.

The answers stay free of details (no host names, no driver messages): /health/ is public.
The details go to the log. No templates, no sessions.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

CACHE_PROBE_KEY = "health-probe"


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (DatabaseError, InterfaceError) as error:
        logger.error("Health check: database failed: %s: %s", type(error).__name__, error)
        return "timeout" if "timeout" in str(error).lower() else "unavailable"
    return "ok"


def check_cache():
    try:
        cache.get(CACHE_PROBE_KEY)
    except Exception as error:  # the cache backend's own errors (e.g. redis.ConnectionError)
        logger.error("Health check: cache failed: %s: %s", type(error).__name__, error)
        return "unavailable"
    return "ok"


def health(request):
    """503 when the database fails; a failing cache only degrades (pages still work)."""
    checks = {"database": check_database(), "cache": check_cache()}
    failed = checks["database"] != "ok"
    status = "error" if failed else "ok" if checks["cache"] == "ok" else "degraded"
    response = JsonResponse({"status": status, "checks": checks}, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    return response
