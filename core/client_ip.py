"""The visitor's IP address, for login lockouts (django-axes) and rate limits (django-ratelimit).

Without configuration the address is REMOTE_ADDR, the peer of the TCP connection: nothing a
client sends can change it. Behind a reverse proxy REMOTE_ADDR is the proxy, so the operator
names the proxies in ``settings.TRUSTED_PROXIES`` (env ``DJANGO_TRUSTED_PROXIES``):

- addresses or networks, comma-separated (``127.0.0.1,10.0.0.0/8``): only when REMOTE_ADDR is
  one of them is the proxy header (``settings.CLIENT_IP_HEADER``, X-Forwarded-For) read, from
  the right; the first address that is not a trusted proxy is the visitor;
- a number (``1``): that many proxies stand in front; the visitor is the address that many
  hops from the right of "header entries + REMOTE_ADDR".

Entries left of the visitor's come from the client and are never used.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FALLBACK = "0.0.0.0"


@cache
def parse_trusted_proxies(value):
    """``None`` (no proxy), a hop count, or a tuple of networks, from the setting's text."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value) or None
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in value.split(",")
            if part.strip()
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {error}. Erwartet werden Adressen oder Netze "
            "(kommagetrennt) oder die Anzahl der Proxys."
        ) from None


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address, networks):
    return any(address in network for network in networks)


def client_ip(request):
    """The client's address as a string (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    trusted = parse_trusted_proxies(getattr(settings, "TRUSTED_PROXIES", ""))
    header = getattr(settings, "CLIENT_IP_HEADER", "") or "X-Forwarded-For"
    peer = _address(remote)
    if trusted is None or peer is None:
        # An empty REMOTE_ADDR (a Unix socket without a proxy) must not crash a view.
        return str(peer) if peer else FALLBACK
    key = "HTTP_" + header.upper().replace("-", "_")
    entries = [entry for entry in request.META.get(key, "").split(",") if entry.strip()]
    chain = [*entries, remote]
    if isinstance(trusted, int):
        visitor = _address(chain[-(trusted + 1)] if len(chain) > trusted else chain[0])
        return str(visitor) if visitor else str(peer)
    if not _is_trusted(peer, trusted):
        return str(peer)  # not from a proxy: its header is the client's own words
    for entry in reversed(entries):
        address = _address(entry)
        if address is None:
            break  # a broken entry: nothing left of it can be trusted either
        if not _is_trusted(address, trusted):
            return str(address)
        peer = address
    return str(peer)
