"""HTTP cache headers (core/http_cache.py): what nginx, a CDN and browsers may keep."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from core import cache as page_cache
from core import http_cache
from tests import factories
from tests.admin_helpers import editor, logged_in

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/einfuehrung/",
    "/glossar/",
    "/phasen/ideenfindung/",
    "/kriterien/problemanalyse/",
    "/kriterien/?phase=ideenfindung&arbeitsstrang=wirtschaftlich",
    "/suche/?q=Problemanalyse",
    "/uebersicht/",
    "/sitemap.xml",
]
PUBLIC = "public, max-age=0, s-maxage=8, stale-while-revalidate=30, stale-if-error=86400"


def vary(response):
    return {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_may_be_kept_briefly_by_shared_caches_only(client, roadmap, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC
    assert response["ETag"].startswith('W/"')
    assert "accept-language" not in vary(response)


def test_the_one_language_is_still_named_without_varying_on_the_browser_language(client, roadmap):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "de"
    assert "accept-language" not in vary(response)


def test_shared_cache_lifetime_and_stale_windows_come_from_the_settings(client, roadmap, settings):
    settings.HTTP_CACHE_SHARED_SECONDS = 3
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 5
    settings.HTTP_CACHE_STALE_IF_ERROR = 60
    response = client.get("/phasen/ideenfindung/")
    assert response["Cache-Control"] == (
        "public, max-age=0, s-maxage=3, stale-while-revalidate=5, stale-if-error=60"
    )


def test_a_visitor_with_only_the_csrf_cookie_still_gets_the_public_page(client, roadmap):
    client.cookies[django_settings.CSRF_COOKIE_NAME] = "x" * 32
    assert client.get("/glossar/")["Cache-Control"] == PUBLIC


def test_without_a_shared_cache_server_a_repeated_request_gets_304(client, roadmap):
    first = client.get("/phasen/ideenfindung/")
    again = client.get("/phasen/ideenfindung/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == PUBLIC


def test_with_the_page_cache_the_etag_is_the_content_generation_and_304_needs_no_query(
    client, roadmap, page_cache_on, django_assert_num_queries
):
    first = client.get("/phasen/ideenfindung/")
    generation = cache.get(page_cache.GENERATION_KEY)
    assert first["ETag"] == http_cache.generation_etag(generation)
    # The same ETag for a page rendered now and for one from the page cache.
    assert client.get("/phasen/ideenfindung/")["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        again = client.get("/phasen/ideenfindung/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == PUBLIC


def test_an_edit_changes_the_etag_so_the_next_conditional_request_gets_the_new_page(
    client, roadmap, page_cache_on
):
    etag = client.get("/phasen/ideenfindung/")["ETag"]
    roadmap["first"].teaser = "Neuer Anreißer nach der Änderung"
    roadmap["first"].save()
    response = client.get("/phasen/ideenfindung/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Neuer Anreißer nach der Änderung" in response.content.decode()
    assert response["ETag"] != etag


def test_an_etag_of_another_release_never_gets_304(client, roadmap, page_cache_on, settings):
    etag = client.get("/phasen/ideenfindung/")["ETag"]
    settings.RELEASE = "neue-version"
    response = client.get("/phasen/ideenfindung/", headers={"if-none-match": etag})
    assert response.status_code == 200


def test_an_unreachable_cache_server_falls_back_to_a_hash_of_the_page(client, roadmap, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_RETRY_SECONDS = 60
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    first = client.get("/glossar/", headers={"if-none-match": 'W/"gveraltet"'})
    assert first.status_code == 200 and first["Cache-Control"] == PUBLIC
    again = client.get("/glossar/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    page_cache._unavailable_until.clear()


@pytest.mark.parametrize("url", ["/phasen/ideenfindung/", "/glossar/", "/"])
def test_logged_in_editors_get_pages_no_cache_may_keep(django_user_model, roadmap, url):
    client = logged_in(editor(django_user_model, "redakteurin"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_any_session_cookie_makes_a_public_page_private(client, roadmap):
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "unbekannt"
    response = client.get("/phasen/ideenfindung/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_admin_login_is_never_stored_and_does_not_vary_on_language(client, db):
    response = Client().get("/admin/login/")
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "accept-language" not in vary(response)


def test_a_new_fahrplan_page_is_private_for_anonymous_visitors_too(client, roadmap):
    response = client.get("/fahrplan/neu/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_health_check_is_never_stored(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response


def test_missing_pages_and_drafts_are_not_marked_public(client, roadmap):
    factories.phase(status="draft", slug="entwurf", name="Entwurf")
    for url in ["/phasen/gibt-es-nicht/", "/phasen/entwurf/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "public" not in response.get("Cache-Control", "")


def test_overlong_searches_are_served_but_not_marked_public(client, roadmap):
    response = client.get("/suche/", {"q": "Kriterium " * 40})
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
