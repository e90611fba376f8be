"""Baked pages through a real nginx (deploy/nginx.conf, core/baking.py).

The app writes public pages to the folder nginx reads; nginx serves them as files
(X-Cache-Status: FILE) with the headers the app itself sends, only to the anonymous requests
its cache may serve, and never a page for a query string that is not one file name. A
published change switches to a new folder. Bounded: one nginx and one live server for the
module, a few dozen requests, the longest wait about three seconds.
"""

import time

import pytest

from core import baking
from tests import factories
from tests.nginx_helpers import baked_paths, committed, fetch, nginx_site, statuses

pytestmark = pytest.mark.django_db

PHASE = "/phasen/ideenfindung/"
# Differ between any two answers, or say where an answer came from.
VOLATILE = {
    "date",
    "etag",
    "last-modified",
    "accept-ranges",
    "x-cache-status",
    "x-page-cache",
    "content-length",
}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    with nginx_site(django_db_blocker, bake=True) as running:
        with django_db_blocker.unblock():
            baking.refresh()
        yield running


def test_a_public_page_is_served_as_a_file_from_its_second_request_on(site):
    cache_statuses, replies = statuses(site, "/glossar/", times=3)
    assert cache_statuses[0] in ("MISS", "HIT")
    assert cache_statuses[1:] == ["FILE", "FILE"]
    assert replies[2].body == replies[0].body
    assert "glossar/index.html" in baked_paths(site["bake_dir"])


def test_a_baked_page_carries_the_same_headers_as_the_apps_answer(site):
    from_app = fetch(site, "/kriterien/apis/", {"Cookie": "csrftoken=" + "a" * 32})
    from_file = fetch(site, "/kriterien/apis/")
    assert from_file.headers["x-cache-status"] == "FILE"

    def kept(reply):
        headers = {k: v for k, v in reply.headers.items() if k not in VOLATILE}
        # django-csp's directive order varies between processes; the set is what counts.
        policy = headers.pop("content-security-policy")
        return headers, {part.strip() for part in policy.split(";")}

    assert kept(from_file) == kept(from_app)


def test_a_search_is_baked_under_its_query_string(site):
    cache_statuses, _ = statuses(site, "/suche/?q=Pilot")
    assert cache_statuses[-1] == "FILE"
    assert "suche/index-q=Pilot.html" in baked_paths(site["bake_dir"])


def test_editors_and_credentials_get_the_app_and_nothing_personal_is_ever_baked(site):
    personal = [{"Cookie": f"sessionid={site['session']}"}, {"Authorization": "Bearer x"}]
    for path in ["/fahrplan/neu/", "/admin/", "/health/", PHASE, "/kriterien/apis/"]:
        fetch(site, path)
        for headers in personal:
            reply = fetch(site, path, headers)
            assert reply.headers["x-cache-status"] in ("BYPASS", "MISS"), (path, headers)
    personal_files = ("fahrplan", "admin", "health")
    assert not [name for name in baked_paths(site["bake_dir"]) if name.startswith(personal_files)]


@pytest.mark.parametrize("query", ["x=../../glossar", "q=.", "x=%2F..%2F"])
def test_a_query_string_that_is_not_one_file_name_never_reaches_a_file(site, query):
    statuses(site, "/glossar/")
    reply = fetch(site, f"/glossar/?{query}")
    assert reply.headers["x-cache-status"] != "FILE"


def test_a_post_is_never_answered_from_a_file(site):
    statuses(site, "/suche/")
    answer = fetch(site, "/suche/", method="POST", body=b"q=Pilot")
    assert answer.headers.get("x-cache-status") != "FILE"


def test_a_published_change_replaces_the_baked_pages(site, settings):
    settings.HTTP_CACHE_SHARED_SECONDS = 1
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 1
    path = "/kriterien/?phase=ideenfindung"
    statuses(site, path, times=3)
    assert fetch(site, path).headers["x-cache-status"] == "FILE"
    before = baking.current_token_on_disk(site["bake_dir"])
    committed(
        lambda: factories.criterion(
            site["phase"], [site["workstream"]], title="Frisch veröffentlicht", slug="frisch"
        )
    )
    baking.refresh()  # as each worker's watcher does (the commit hook: tests/test_baking.py)
    assert baking.current_token_on_disk(site["bake_dir"]) != before
    changed = time.monotonic()
    seen = []
    while time.monotonic() - changed < 5:
        reply = fetch(site, path)
        seen.append(reply.headers["x-cache-status"])
        if "Frisch veröffentlicht" in reply.body and seen[-1] == "FILE":
            break
        time.sleep(0.05)
    assert "Frisch veröffentlicht" in reply.body, seen
    assert seen[-1] == "FILE", seen
