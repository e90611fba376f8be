"""The visitor's IP address, for login lockouts (django-axes) and rate limits (django-ratelimit).

Behind the reverse proxy every request comes from the proxy, so REMOTE_ADDR would put all
visitors into one bucket: one mistyped password would lock an editor's name for everyone,
and a handful of visitors would use up a rate limit meant for one. With
``settings.CLIENT_IP_HEADER`` set (production default: X-Forwarded-For), the address is the
LAST entry of that header, the one the nearest proxy wrote itself; earlier entries come from
the client and could be forged.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address as a string; REMOTE_ADDR when the header is missing or broken."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        candidate = request.META.get(key, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    # An empty REMOTE_ADDR (a Unix socket without a proxy header) must not crash a view.
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
