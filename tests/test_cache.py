"""Page cache (core/cache.py): what is cached, what never is, invalidation, dead servers."""

import io
import logging
import runpy
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from core import cache as page_cache
from core.publishing import Status
from information.models import Page
from phases.models import Phase
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = page_cache.STATUS_HEADER
PHASE_URL = "/phasen/ideenfindung/"


# A URL configuration for the tests that need views the real site does not have (yet):
# the real site plus a self-check and an open-data page, and a phases page marked private.
def _plain_view(request):
    return HttpResponse("Inhalt")


def _private_view(request):
    response = HttpResponse("Entwurf")
    response["Cache-Control"] = "private, no-store"
    return response


def _cookie_view(request):
    response = HttpResponse("Mit Cookie")
    response.set_cookie("merkliste", "1")
    return response


urlpatterns = [
    path("selbstcheck/", include(([path("", _plain_view, name="start")], "selfcheck"))),
    path("daten/", include(([path("", _plain_view, name="index")], "opendata"))),
    path(
        "test-phasen/",
        include(
            (
                [
                    path("privat/", _private_view, name="private"),
                    path("cookie/", _cookie_view, name="cookie"),
                ],
                "phases",
            )
        ),
    ),
    path("", include("roadmap.urls")),
]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_caches(port):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture(scope="module")
def redis_server():
    """A real redis-server on a random loopback port, without persistence; stopped afterwards."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = _free_port()
    with tempfile.TemporaryDirectory() as workdir:
        args = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", workdir]
        args += ["--save", "", "--appendonly", "no", "--loglevel", "warning"]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    assert process.poll() is None, "redis-server did not start"
                    assert time.monotonic() < deadline, "redis-server did not open its port"
                    time.sleep(0.05)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


def _status(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.get(HEADER)


# --- What is cached --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/einfuehrung/",
        "/glossar/",
        "/suche/?q=Problem",
        "/uebersicht/",
        PHASE_URL,
        "/kriterien/?phase=ideenfindung&arbeitsstrang=wirtschaftlich",
        "/kriterien/problemanalyse/",
        "/beispiele/",
        "/ressourcen/",
        "/betreibermodelle/",
        "/impressum/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_public_page_is_served_from_cache_on_the_second_anonymous_request(
    client, roadmap, page_cache_on, url, django_assert_num_queries
):
    Page.objects.create(slug="impressum", title="Impressum", body="Text.", status="published")
    assert _status(client, url) == "miss"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response[HEADER] == "hit"
    assert response.content == client.get(url, HTTP_COOKIE="frisch=1").content


def test_cached_page_still_gets_security_headers_and_the_same_content_type(
    client, roadmap, page_cache_on
):
    first = client.get("/sitemap.xml")
    second = client.get("/sitemap.xml")
    assert second[HEADER] == "hit"
    assert second["Content-Type"] == first["Content-Type"] == "application/xml"
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_head_request_is_answered_from_the_page_a_get_request_stored(
    client, roadmap, page_cache_on
):
    client.get(PHASE_URL)
    assert client.head(PHASE_URL)[HEADER] == "hit"


def test_page_cache_is_off_without_a_shared_cache_server(client, roadmap, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get(PHASE_URL)
    assert HEADER not in client.get(PHASE_URL)


# --- What is never cached ----------------------------------------------------------------------


def test_logged_in_editor_gets_a_fresh_page_and_stores_nothing(client, roadmap, page_cache_on):
    editor = get_user_model().objects.create_user("redaktion", is_staff=True)
    client.force_login(editor)
    assert HEADER not in client.get(PHASE_URL)
    client.logout()
    assert _status(client, PHASE_URL) == "miss"
    client.force_login(editor)
    response = client.get(PHASE_URL)
    assert HEADER not in response
    assert response.status_code == 200


def test_request_with_any_cookie_but_the_csrf_cookie_bypasses_the_cache(
    client, roadmap, page_cache_on
):
    client.get(PHASE_URL)
    assert HEADER not in client.get(PHASE_URL, HTTP_COOKIE="sessionid=abc")
    assert HEADER not in client.get(PHASE_URL, HTTP_COOKIE="selbstcheck=1")
    assert _status(client, PHASE_URL, HTTP_COOKIE=f"{django_settings.CSRF_COOKIE_NAME}=x") == "hit"


def test_post_request_is_never_answered_from_the_cache(client, roadmap, page_cache_on):
    client.get("/suche/?q=Problem")
    response = client.post("/suche/?q=Problem")
    assert HEADER not in response
    assert response.status_code == 405


@pytest.mark.parametrize("url", ["/health/", "/admin/login/", "/selbstcheck/", "/daten/"])
def test_health_admin_self_check_and_open_data_pages_are_not_cached(
    client, roadmap, page_cache_on, url
):
    page_cache_on.ROOT_URLCONF = __name__
    client.get(url)
    assert HEADER not in client.get(url)


def test_page_not_found_is_not_cached(client, roadmap, page_cache_on):
    client.get("/phasen/gibt-es-nicht/")
    response = client.get("/phasen/gibt-es-nicht/")
    assert response.status_code == 404
    assert response[HEADER] == "miss"


@pytest.mark.parametrize("url", ["/test-phasen/privat/", "/test-phasen/cookie/"])
def test_private_responses_and_responses_setting_cookies_are_not_stored(client, page_cache_on, url):
    page_cache_on.ROOT_URLCONF = __name__
    client.get(url)
    client.cookies.clear()
    assert _status(client, url) == "miss"


def test_very_long_query_strings_are_served_but_not_cached(client, roadmap, page_cache_on):
    url = "/suche/?q=" + "a" * (page_cache.MAX_QUERY_STRING + 1)
    client.get(url)
    assert HEADER not in client.get(url)


# --- Invalidation --------------------------------------------------------------------------


def _rename_criterion(roadmap):
    roadmap["criterion"].title = "Neuer Titel"
    roadmap["criterion"].save()
    return "Neuer Titel", True


def _publish_draft_example(roadmap):
    example = factories.example(roadmap["first"], title="Neues Beispiel", status=Status.DRAFT)
    example.status = Status.PUBLISHED
    example.save()
    return "Neues Beispiel", True


def _delete_milestone(roadmap):
    roadmap["milestone"].delete()
    return "Bedarf belegt", False


def _add_workstream_to_criterion(roadmap):
    roadmap["criterion"].workstreams.add(roadmap["technical"])
    return "Problemanalyse", True


def _clear_criterion_workstreams(roadmap):
    roadmap["criterion"].workstreams.clear()
    return "Problemanalyse", False


@pytest.mark.parametrize(
    ("change", "url"),
    [
        (_rename_criterion, PHASE_URL),
        (_publish_draft_example, PHASE_URL),
        (_delete_milestone, PHASE_URL),
        (_add_workstream_to_criterion, "/kriterien/?arbeitsstrang=technisch"),
        (_clear_criterion_workstreams, "/kriterien/?arbeitsstrang=wirtschaftlich"),
    ],
)
def test_any_content_change_invalidates_cached_pages(client, roadmap, page_cache_on, change, url):
    client.get(url)
    assert _status(client, url) == "hit"
    text, present = change(roadmap)
    response = client.get(url)
    assert response[HEADER] == "miss"
    assert (text in response.content.decode()) is present


def test_content_change_invalidates_again_after_the_transaction_commits(
    roadmap, page_cache_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        factories.glossary_term(term="Zweckverband")
    assert page_cache.bump_generation in callbacks


def test_changes_outside_the_content_apps_keep_the_cache(client, roadmap, page_cache_on):
    client.get(PHASE_URL)
    get_user_model().objects.create_user("jemand")
    assert _status(client, PHASE_URL) == "hit"


def test_ignored_content_models_keep_the_cache(client, roadmap, page_cache_on):
    page_cache_on.PAGE_CACHE_IGNORED_MODELS = ("roadmap.glossaryterm",)
    client.get(PHASE_URL)
    factories.glossary_term()
    assert _status(client, PHASE_URL) == "hit"


# --- Cache servers: dead and real ------------------------------------------------------------


def test_dead_cache_server_still_serves_pages_and_saving_content_works(
    client, roadmap, settings, caplog
):
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = _redis_caches(_free_port())  # nothing listens there
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        first = client.get(PHASE_URL)
        second = client.get(PHASE_URL)
        factories.glossary_term(term="Datensouveränität")
    assert time.monotonic() - started < 5
    assert first.status_code == second.status_code == 200
    assert first[HEADER] == second[HEADER] == "off"
    assert "Bedarf belegt" in second.content.decode()
    assert "Page cache unavailable" in caplog.text


def test_real_redis_server_caches_pages_and_shares_invalidation(
    client, roadmap, settings, redis_server
):
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = _redis_caches(redis_server)
    cache.clear()
    assert _status(client, PHASE_URL) == "miss"
    assert _status(client, PHASE_URL) == "hit"
    # Another server bumps the generation in Redis: this process must notice at once.
    cache.incr(page_cache.GENERATION_KEY)
    assert _status(client, PHASE_URL) == "miss"
    before = cache.get(page_cache.GENERATION_KEY)
    roadmap["milestone"].delete()
    assert cache.get(page_cache.GENERATION_KEY) > before
    response = client.get(PHASE_URL)
    assert response[HEADER] == "miss"
    assert "Bedarf belegt" not in response.content.decode()


# --- Settings ----------------------------------------------------------------------------------


def _settings_with(monkeypatch, **env):
    for name in ("DJANGO_CACHE_URL", "REDIS_URL", "DJANGO_PAGE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(django_settings.BASE_DIR / "roadmap" / "settings.py"))


def test_redis_url_selects_a_fail_fast_redis_cache_and_switches_the_page_cache_on(monkeypatch):
    values = _settings_with(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    default = values["CACHES"]["default"]
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["OPTIONS"]["socket_connect_timeout"] <= 0.5
    assert values["PAGE_CACHE_ENABLED"] is True
    middleware = values["MIDDLEWARE"]
    assert middleware.index("core.cache.PageCacheMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


def test_without_cache_server_memory_cache_is_used_and_page_cache_is_off(monkeypatch):
    values = _settings_with(monkeypatch)
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["PAGE_CACHE_ENABLED"] is False


# --- Synthetic benchmark content (workspace/management/commands/generate_synthetic_content.py) ---

SYNTHETIC_MODELS = (
    "phases.criterion",
    "phases.milestone",
    "phases.crossreference",
    "examples.practiceexample",
    "examples.resource",
    "roadmap.glossaryterm",
)


def _content_counts():
    counts = {label: apps.get_model(label).objects.count() for label in SYNTHETIC_MODELS}
    counts["sub-phases"] = Phase.objects.filter(parent__isnull=False).count()
    return counts


def _queries_for(client, url):
    client.get(url, HTTP_COOKIE="frisch=1")  # steady state: lookup tables built (core/lookups.py)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_COOKIE="frisch=1").status_code == 200
    return len(queries)


def test_synthetic_content_multiplies_every_kind_and_is_removed_again(
    shipped_content, monkeypatch, client
):
    monkeypatch.setenv("ROADMAP_BENCHMARK", "1")
    before = _content_counts()
    queries_before = _queries_for(client, "/phasen/pilotphase/")
    call_command("generate_synthetic_content", "--factor", "3", stdout=io.StringIO())
    assert _content_counts() == {label: 3 * n for label, n in before.items()}
    assert _queries_for(client, "/phasen/pilotphase/") == queries_before
    assert "Szenario" in client.get("/kriterien/?phase=pilotphase").content.decode()
    call_command("generate_synthetic_content", "--remove", stdout=io.StringIO())
    assert _content_counts() == before


def test_synthetic_content_refuses_to_run_without_the_benchmark_switch(monkeypatch):
    monkeypatch.delenv("ROADMAP_BENCHMARK", raising=False)
    with pytest.raises(CommandError, match="ROADMAP_BENCHMARK=1"):
        call_command("generate_synthetic_content")
