"""The health check for load balancers: each dependency's state in a short English word.

The answers stay free of details (no host names, no driver messages): /health/ is public.
The details go to the log. No templates, no sessions.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, connection
from django.db.migrations.executor import MigrationExecutor
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


_schema_current = False  # once all migrations are applied, they stay applied for this code


def check_schema():
    """Code newer than the database (a deploy without ``migrate``) breaks pages: report it,
    so a load balancer keeps the instance out until ``manage.py migrate`` has run."""
    global _schema_current
    if _schema_current:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except (DatabaseError, InterfaceError) as error:
        logger.error("Health check: schema check failed: %s: %s", type(error).__name__, error)
        return "unknown"
    if pending:
        logger.error("Health check: %d migrations not applied; run manage.py migrate", len(pending))
        return "migrations_pending"
    _schema_current = True
    return "ok"


def check_cache():
    try:
        cache.get(CACHE_PROBE_KEY)
    except Exception as error:  # the cache backend's own errors (e.g. redis.ConnectionError)
        logger.error("Health check: cache failed: %s: %s", type(error).__name__, error)
        return "unavailable"
    return "ok"


def health(request):
    """503 when the database fails or lags behind the code; a failing cache only degrades
    (pages still work)."""
    database = check_database()
    schema = check_schema() if database == "ok" else "unknown"
    checks = {"database": database, "schema": schema, "cache": check_cache()}
    failed = database != "ok" or schema != "ok"
    status = "error" if failed else "ok" if checks["cache"] == "ok" else "degraded"
    response = JsonResponse({"status": status, "checks": checks}, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    return response
