"""HTTP cache headers the app owns: what a shared cache (nginx, a CDN) and browsers may keep.

One middleware decides ``Cache-Control`` (and ``ETag``) for every response that passes it,
by page type:

- **public content pages** (the page cache's allow-list, ``core.cache.CACHEABLE_PAGES``),
  requested anonymously (no cookie but the CSRF cookie, no ``Authorization``) and answered
  with a storable 200: ``public, max-age=0, s-maxage=S, stale-while-revalidate=W,
  stale-if-error=E``. Browsers revalidate every time (``max-age=0``); a shared cache keeps the
  page ``S`` seconds (``DJANGO_HTTP_CACHE_SECONDS``, default 8), so a published change
  reaches anonymous visitors within about ``S`` seconds without any purge.
  The ``ETag`` is derived from the content generation the page was rendered under (plus the
  release, so a deployment with new templates never answers 304 for old HTML). A request whose
  ``If-None-Match`` names the current generation gets 304 before any view, session or database
  work: one read from the cache server. Without a shared cache server (development, tests)
  there is no generation every process agrees on; the ETag is then a hash of the rendered page
  and the 304 comes after rendering.
- **any request with a session cookie**, and personal pages (admin, Fahrplan) for everybody:
  ``private, no-store``.
- ``/health/``: ``no-store`` (a load balancer must see the live answer).
- everything else (open data with its own ETags, self-check, error pages) keeps what its view
  set.

The site speaks one language, so ``Accept-Language`` is removed from ``Vary`` on every
response: a cache would otherwise keep one copy per browser language of identical pages.

Sits outside the page cache middleware, so the headers are set the same way for pages from
the page cache and for freshly rendered ones.
"""

import hashlib
import time

from django.conf import settings
from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_etags

from . import cache as page_cache

PUBLIC, PERSONAL, HEALTH, OTHER = "public", "personal", "health", "other"

# namespace -> URL names of personal pages; ALL_PAGES: every page of the namespace.
PERSONAL_PAGES = {
    "admin": page_cache.ALL_PAGES,
    "selfcheck": frozenset(
        {"fahrplan", "fahrplan-create", "fahrplan-csv", "fahrplan-delete", "fahrplan-deleted"}
        # The Fahrplan tools (selfcheck/tool_views.py).
        | {
            "fahrplan-zeitplan",
            "fahrplan-ics",
            "fahrplan-entscheidungen",
            "fahrplan-dokumente",
            "fahrplan-dokument",
        }
    ),
}
PRIVATE = "private, no-store"

# Without DJANGO_RELEASE: the start of this process; gunicorn with preload_app shares it among
# its workers. A restart changes every ETag once, which costs one full answer per client.
_STARTED = str(time.time_ns())


def release():
    return getattr(settings, "RELEASE", "") or _STARTED


def public_cache_control():
    seconds = settings.HTTP_CACHE_SHARED_SECONDS
    revalidate = settings.HTTP_CACHE_STALE_WHILE_REVALIDATE
    on_error = settings.HTTP_CACHE_STALE_IF_ERROR
    return (
        f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={revalidate}, "
        f"stale-if-error={on_error}"
    )


def generation_etag(generation):
    digest = hashlib.sha256(f"{release()}:{generation}".encode()).hexdigest()[:20]
    return f'W/"g{digest}"'


def page_type(request):
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return PERSONAL
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return OTHER
    if match.url_name == "health" and not match.namespace:
        return HEALTH
    names = PERSONAL_PAGES.get(match.namespace, ())
    if names is page_cache.ALL_PAGES or match.url_name in names:
        return PERSONAL
    return PUBLIC if page_cache.is_cacheable_page(request) else OTHER


def _strip_accept_language(response):
    vary = response.get("Vary")
    if vary is None or "accept-language" not in vary.lower():
        return
    kept = [h.strip() for h in vary.split(",") if h.strip().lower() != "accept-language"]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


class CacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = page_type(request)
        if kind == PUBLIC:
            response = self._not_modified(request) or self._public(request)
        else:
            response = self.get_response(request)
            if kind == PERSONAL:
                cache_control = response.get("Cache-Control", "")
                if not ("private" in cache_control and "no-store" in cache_control):
                    response["Cache-Control"] = PRIVATE
            elif kind == HEALTH:
                response["Cache-Control"] = "no-store"
        _strip_accept_language(response)
        return response

    @staticmethod
    def _not_modified(request):
        """304 before any rendering when If-None-Match names the current generation."""
        wanted = request.META.get("HTTP_IF_NONE_MATCH")
        if not wanted:
            return None
        generation = page_cache.current_generation()
        if generation is None:
            return None
        etag = generation_etag(generation)
        if etag not in parse_etags(wanted) and etag.removeprefix("W/") not in parse_etags(wanted):
            return None
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = public_cache_control()
        return response

    def _public(self, request):
        response = self.get_response(request)
        if not page_cache.is_storable(response):
            return response
        response["Cache-Control"] = public_cache_control()
        generation = getattr(request, page_cache.GENERATION_ATTRIBUTE, None)
        if generation is not None:
            response["ETag"] = generation_etag(generation)
        else:
            set_response_etag(response)
            response["ETag"] = "W/" + response["ETag"].removeprefix("W/")
        return get_conditional_response(request, etag=response["ETag"], response=response)
