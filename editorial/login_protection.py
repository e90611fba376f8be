"""The German page for a login that django-axes has locked (AXES_LOCKOUT_CALLABLE)."""

from axes.conf import settings as axes_settings
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.contrib import admin
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Anmeldung vorübergehend gesperrt",
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )
