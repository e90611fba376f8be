"""Page cache for anonymous visitors, invalidated whenever editors change content.

What is cached: complete responses of public content pages (an allow-list of URL names, see
``CACHEABLE_PAGES``) for anonymous GET/HEAD requests without any cookie except the CSRF
cookie, and only 200 responses without Set-Cookie, without ``Cache-Control: private``/
``no-store``/``no-cache`` and without ``Vary`` on anything but Cookie and Accept-Language.
Editors always carry a session cookie, so they never get a cached page and never store one:
draft previews stay out of the cache.

Invalidation: every cached page carries the *content generation* it was rendered under. The
generation is one integer in the shared cache; any save, delete or many-to-many change of a
model in ``CONTENT_APPS`` increments it (right away and again after the transaction commits,
so a page rendered from the old rows before the commit can never be stored under the new
generation). Because the number lives in the cache server, every gunicorn process on every
machine sees the change at once. A page and the generation are read in one round trip.

Failure: if the cache server does not answer, the request is served uncached and a warning is
logged; this process then leaves the cache alone for ``PAGE_CACHE_RETRY_SECONDS``.

The page cache is active when ``PAGE_CACHE_ENABLED`` is true, which the settings derive from a
configured shared cache server (``DJANGO_CACHE_URL``/``REDIS_URL``): a per-process memory cache
cannot be invalidated across several worker processes.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from . import lookups

logger = logging.getLogger(__name__)

# Saving or deleting any model of these apps changes what public pages show.
CONTENT_APPS = frozenset({"roadmap", "phases", "examples"})
# … and these models of other apps (with their many-to-many link tables): phase and criterion
# pages list the document templates that fit them.
CONTENT_MODELS = frozenset(
    {"selfcheck.vorlage", "selfcheck.vorlage_phases", "selfcheck.vorlage_criteria"}
)

# namespace -> URL names whose pages may be cached; ALL_PAGES: every page of the namespace.
# Never listed: admin, selfcheck (self-check and personal Fahrplan), opendata (own ETags),
# health.
ALL_PAGES = None
CACHEABLE_PAGES = {
    "": frozenset({"home", "introduction", "glossary", "search", "page", "sitemap", "robots-txt"}),
    "phases": ALL_PAGES,
    "examples": ALL_PAGES,
}

GENERATION_KEY = "page-cache:generation"
KEY_PREFIX = "page-cache:page:"
GENERATION_ATTRIBUTE = "content_generation"  # on the request: the generation it is served under
FRESH_ATTRIBUTE = "render_fresh"  # on the request: render even if a stored page fits (baking)
STATUS_HEADER = "X-Page-Cache"  # hit | miss | off (cache server unavailable)
MAX_QUERY_STRING = 300  # longer query strings (odd searches) are served, not stored
ALLOWED_VARY = frozenset({"cookie", "accept-language"})
FORBIDDEN_CACHE_CONTROL = ("private", "no-store", "no-cache")

# Cache LOCATION -> monotonic time until which this process does not try the cache server.
_unavailable_until = {}


def _setting(name, default):
    return getattr(settings, name, default)


def is_enabled():
    return _setting("PAGE_CACHE_ENABLED", False)


def _cache():
    return caches[_setting("PAGE_CACHE_ALIAS", "default")]


def _location():
    alias = _setting("PAGE_CACHE_ALIAS", "default")
    return str(settings.CACHES[alias].get("LOCATION", alias))


def _available():
    return time.monotonic() >= _unavailable_until.get(_location(), 0.0)


def _failed(action, exc):
    pause = _setting("PAGE_CACHE_RETRY_SECONDS", 5)
    _unavailable_until[_location()] = time.monotonic() + pause
    logger.warning(
        "Page cache unavailable while %s (%s: %s); serving uncached for %s s.",
        action,
        type(exc).__name__,
        exc,
        pause,
    )


# --- Content generation --------------------------------------------------------------------


def _start_generation(cache):
    """Create the generation if missing and return it.

    A missing key (first start, server restart, eviction) starts at the current time in
    nanoseconds, far above any number used before, so no old page can become valid again.
    """
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY)


def bump_generation():
    """Invalidate every cached page. Never raises: a dead cache server only logs a warning."""
    if not is_enabled():
        return
    cache = _cache()
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet
            _start_generation(cache)
    except Exception as exc:  # any backend error must not break saving
        _failed("invalidating", exc)


def current_generation():
    """The generation now, or None (page cache off, cache server unavailable or no answer)."""
    if not (is_enabled() and _available()):
        return None
    try:
        return _cache().get(GENERATION_KEY)
    except Exception as exc:
        _failed("reading", exc)
        return None


def content_changed(sender, using=None, action=None, **kwargs):
    """Signal handler for post_save, post_delete and m2m_changed."""
    if action is not None and not action.startswith("post_"):
        return
    meta = sender._meta
    ignored = _setting("PAGE_CACHE_IGNORED_MODELS", ())
    is_content = meta.app_label in CONTENT_APPS or meta.label_lower in CONTENT_MODELS
    if not is_content or meta.label_lower in ignored:
        return
    if sender.__module__ != "__fake__":  # not a migration's historical model
        lookups.bump(using or DEFAULT_DB_ALIAS)
    bump_generation()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(bump_generation, using=using)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"page-cache-{signal!r}")


# --- Which requests and responses ----------------------------------------------------------


def is_cacheable_page(request):
    """Anonymous GET/HEAD of an allow-listed public page, no cookies but the CSRF cookie."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES):
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    if match.namespace not in CACHEABLE_PAGES:
        return False
    names = CACHEABLE_PAGES[match.namespace]
    return names is ALL_PAGES or match.url_name in names


def is_storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in FORBIDDEN_CACHE_CONTROL):
        return False
    vary = {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}
    return vary <= ALLOWED_VARY


def page_key(request):
    # Scheme and host belong to the key: the sitemap contains absolute addresses.
    url = request.build_absolute_uri()
    return KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


# --- Middleware ----------------------------------------------------------------------------


class PageCacheMiddleware:
    """Answers anonymous requests for public pages from the shared cache.

    Sits before the session middleware: a hit skips sessions, CSRF, authentication and the
    view; the middleware above it (security headers, CSP) still runs on every response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (is_enabled() and is_cacheable_page(request)):
            return self.get_response(request)
        if not _available():
            return self._uncached(request)
        cache = _cache()
        key = page_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            entry = found.get(key)
            fits = entry is not None and generation is not None and entry[0] == generation
            if fits and not getattr(request, FRESH_ATTRIBUTE, False):
                setattr(request, GENERATION_ATTRIBUTE, generation)
                return self._from_entry(entry)
            if generation is None:
                generation = _start_generation(cache)
        except Exception as exc:  # a dead cache must never cause a 500
            _failed("reading", exc)
            return self._uncached(request)

        setattr(request, GENERATION_ATTRIBUTE, generation)
        response = self.get_response(request)
        if request.method == "GET" and is_storable(response):
            entry = (generation, response.status_code, list(response.items()), response.content)
            try:
                cache.set(key, entry, _setting("PAGE_CACHE_SECONDS", 600))
            except Exception as exc:
                _failed("storing", exc)
        response[STATUS_HEADER] = "miss"
        return response

    def _uncached(self, request):
        response = self.get_response(request)
        response[STATUS_HEADER] = "off"
        return response

    @staticmethod
    def _from_entry(entry):
        _generation, status, headers, content = entry
        response = HttpResponse(content, status=status, headers=dict(headers))
        response[STATUS_HEADER] = "hit"
        return response
