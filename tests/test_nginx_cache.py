"""Real nginx with deploy/nginx.conf in front of a Django live server on 127.0.0.1.

Checks what the cache in front stores and serves per page type, through nginx's own
X-Cache-Status header and the files in its cache folder: anonymous public pages are HITs,
requests with a session cookie or an Authorization header BYPASS the cache, personal and
editor pages are never stored, and a change reaches anonymous visitors once the page's
s-maxage has run out. Bounded: one nginx and one live server for the module, a few dozen
requests, the longest wait about three seconds.

Data is committed (the live server thread has its own connection on PostgreSQL) and the
database is put back as it was afterwards, as in tests/browser.py; ``django_db`` only makes
pytest-django create the test database.
"""

import time

import pytest

from tests import factories
from tests.nginx_helpers import cached_keys, committed, fetch, nginx_site, statuses

pytestmark = pytest.mark.django_db

PHASE = "/phasen/ideenfindung/"


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    with nginx_site(django_db_blocker) as running:
        yield running


def stored_keys(site):
    """The cache keys of every page nginx has written to its cache folder."""
    return cached_keys(site["run_dir"])


@pytest.mark.parametrize(
    "path", [PHASE, "/glossar/", "/kriterien/?phase=ideenfindung", "/suche/?q=Pilot"]
)
def test_anonymous_public_pages_are_served_from_the_cache_in_front(site, path):
    cache_statuses, replies = statuses(site, path, times=3)
    assert [reply.status for reply in replies] == [200, 200, 200]
    assert cache_statuses[0] in ("MISS", "HIT")
    assert cache_statuses[1:] == ["HIT", "HIT"]
    assert replies[2].body == replies[1].body


def test_a_visitor_with_only_the_csrf_cookie_is_served_from_the_cache_too(site):
    fetch(site, "/glossar/")
    cache_statuses, _ = statuses(site, "/glossar/", {"Cookie": "csrftoken=" + "a" * 32})
    assert cache_statuses == ["HIT", "HIT"]


@pytest.mark.parametrize(
    "headers", [{"Cookie": "sessionid=unbekannt"}, {"Authorization": "Bearer x"}]
)
def test_requests_with_a_session_or_credentials_bypass_the_cache(site, headers):
    fetch(site, PHASE)
    cache_statuses, replies = statuses(site, PHASE, headers)
    assert cache_statuses == ["BYPASS", "BYPASS"]
    assert all(reply.status == 200 for reply in replies)


def test_pages_an_editor_opened_are_never_stored_for_anonymous_visitors(site):
    cookie = {"Cookie": f"sessionid={site['session']}"}
    path = "/kriterien/apis/"
    editor_statuses, replies = statuses(site, path, cookie)
    assert editor_statuses == ["BYPASS", "BYPASS"]
    assert replies[0].headers["cache-control"] == "private, no-store"
    anonymous_statuses, _ = statuses(site, path)
    assert anonymous_statuses == ["MISS", "HIT"]


@pytest.mark.parametrize("path", ["/fahrplan/neu/", "/admin/login/", "/health/", "/admin/"])
def test_personal_and_editor_pages_are_never_stored_even_without_cookies(site, path):
    cache_statuses, replies = statuses(site, path)
    assert cache_statuses == ["MISS", "MISS"], [reply.status for reply in replies]
    assert not any(key.endswith(path) for key in stored_keys(site))


def test_no_personal_page_ever_lands_in_the_cache_folder(site):
    for path in ["/fahrplan/neu/", "/admin/", "/admin/login/", "/health/"]:
        fetch(site, path)
        fetch(site, path, {"Cookie": f"sessionid={site['session']}"})
    fetch(site, "/glossar/")
    keys = stored_keys(site)
    assert any(key.endswith("/glossar/") for key in keys)
    personal = ("/fahrplan/", "/admin/", "/health/")
    assert not [key for key in keys if any(part in key for part in personal)]


def test_a_conditional_request_gets_304_from_the_cache(site):
    first = fetch(site, "/glossar/")
    again = fetch(site, "/glossar/", {"If-None-Match": first.headers["etag"]})
    assert again.status == 304
    assert again.headers["x-cache-status"] == "HIT"


def test_a_change_reaches_anonymous_visitors_once_s_maxage_has_run_out(site, settings):
    settings.HTTP_CACHE_SHARED_SECONDS = 1
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 1
    path = "/kriterien/?phase=ideenfindung&arbeitsstrang=technisch"
    statuses(site, path)
    assert fetch(site, path).headers["x-cache-status"] == "HIT"
    committed(
        lambda: factories.criterion(
            site["phase"], [site["workstream"]], title="Neu veröffentlicht", slug="neu"
        )
    )
    changed = time.monotonic()
    seen = []
    while time.monotonic() - changed < 5:
        reply = fetch(site, path)
        seen.append(reply.headers["x-cache-status"])
        if "Neu veröffentlicht" in reply.body:
            break
        time.sleep(0.05)
    assert "Neu veröffentlicht" in reply.body, seen
    assert time.monotonic() - changed < 3, seen
