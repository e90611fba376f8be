"""The JSON and CSV downloads, built once per content version instead of on every request.

Building the whole JSON document takes a noticeable fraction of a second; a few clients
pulling it repeatedly would slow every page down. The body depends only on the public content
– whose version (``export.content_version``, the ETag) changes with every public change, and
only then – and on the site's address, which the document names. So both make the cache key:
a new version simply uses new keys, nothing has to be invalidated, old entries expire.

The shared cache (Redis) serves every worker; without it each process keeps its own copy. A
cache that fails is skipped: the body is then built as before.
"""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60 * 60 * 24
KEY_PREFIX = "opendata:download:"


def cache_key(name, version, request):
    identity = f"{name}|{version.etag}|{request.build_absolute_uri('/')}"
    return KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()


def cached_body(name, version, request, build):
    """``build()``'s result for this version and address, from the cache when possible."""
    key = cache_key(name, version, request)
    try:
        body = cache.get(key)
    except Exception as error:  # the cache backend's own errors (e.g. redis.ConnectionError)
        logger.warning("Download cache unavailable: %s: %s", type(error).__name__, error)
        return build()
    if body is None:
        body = build()
        try:
            cache.set(key, body, TIMEOUT_SECONDS)
        except Exception as error:
            logger.warning("Download cache unavailable: %s: %s", type(error).__name__, error)
    return body
