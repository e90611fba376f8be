"""The health check for load balancers."""

from django.db import connection
from django.http import JsonResponse


def health(request):
    """Liveness and database check for load balancers; no templates, no sessions."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
