"""Baked pages (core/baking.py): which answers become files, where, and when they go."""

import logging
import threading

import pytest
from django.db import connection

from core import baking, lookups
from tests import factories
from tests.nginx_helpers import baked_paths

PHASE = "/phasen/ideenfindung/"


@pytest.fixture
def bake_dir(settings, tmp_path, db):
    settings.BAKE_DIR = str(tmp_path / "baked")
    baking.refresh()
    return tmp_path / "baked"


def change_token_elsewhere(token):
    """As another machine or a script without the setting would: no hook in this process."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_contentgeneration SET token = %s WHERE id = 1", [token])


def test_refresh_points_current_at_a_folder_named_after_the_content_token(bake_dir, db):
    assert (bake_dir / baking.CURRENT).is_symlink()
    assert baking.current_token_on_disk(bake_dir) == lookups.read_token()


def test_an_anonymous_public_page_is_baked_with_the_bytes_visitors_got(client, roadmap, bake_dir):
    response = client.get(PHASE)
    assert response.status_code == 200
    baked = bake_dir / baking.CURRENT / "phasen/ideenfindung/index.html"
    assert baked.read_bytes() == response.content
    assert oct(baked.stat().st_mode & 0o777) == "0o644"


def test_the_start_page_is_baked_as_the_folders_index(client, roadmap, bake_dir):
    client.get("/")
    assert baked_paths(bake_dir) == ["index.html"]


def test_a_search_with_a_safe_query_string_is_baked_under_its_query(client, roadmap, bake_dir):
    client.get("/suche/?q=Pilot")
    assert baked_paths(bake_dir) == ["suche/index-q=Pilot.html"]


@pytest.mark.parametrize(
    "query", ["q=a.b", "q=../../etc", "q=a/b", "q=" + "x" * 200, "q=a;b", "q=a b"]
)
def test_query_strings_nginx_would_not_map_to_one_file_are_not_baked(
    client, roadmap, bake_dir, query
):
    assert client.get(f"/suche/?{query}").status_code == 200
    assert baked_paths(bake_dir) == []


def test_query_pages_are_capped_per_process_and_content_state(client, roadmap, bake_dir, settings):
    settings.BAKE_MAX_QUERY_PAGES = 2
    for word in ("eins", "zwei", "drei", "vier"):
        client.get(f"/suche/?q={word}")
    client.get(PHASE)
    assert len([name for name in baked_paths(bake_dir) if name.startswith("suche/")]) == 2
    assert "phasen/ideenfindung/index.html" in baked_paths(bake_dir)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "fahrplan=1"},
        {"HTTP_AUTHORIZATION": "Bearer x"},
    ],
)
def test_requests_with_cookies_or_credentials_are_never_baked(client, roadmap, bake_dir, headers):
    assert client.get(PHASE, **headers).status_code == 200
    assert baked_paths(bake_dir) == []


def test_an_editors_pages_are_never_baked(editor_client, roadmap, bake_dir):
    editor_client.get(PHASE)
    editor_client.get("/admin/")
    assert baked_paths(bake_dir) == []


@pytest.mark.parametrize("path", ["/fahrplan/neu/", "/health/", "/phasen/gibt-es-nicht/"])
def test_personal_pages_health_and_errors_are_never_baked(client, roadmap, bake_dir, path):
    client.get(path)
    assert baked_paths(bake_dir) == []


def test_head_and_post_requests_bake_nothing(client, roadmap, bake_dir):
    client.head(PHASE)
    client.post("/suche/", {"q": "Pilot"})
    assert baked_paths(bake_dir) == []


def test_saving_content_switches_to_a_new_empty_folder_after_the_commit(
    client, roadmap, bake_dir, django_capture_on_commit_callbacks
):
    client.get(PHASE)
    old = baking.current_token_on_disk(bake_dir)
    with django_capture_on_commit_callbacks(execute=True):
        factories.glossary_term(term="Verstetigung")
    assert baking.current_token_on_disk(bake_dir) not in (None, old)
    assert baked_paths(bake_dir) == []
    assert not (bake_dir / old).exists()


def test_a_change_made_elsewhere_is_followed_by_the_next_refresh(client, roadmap, bake_dir):
    client.get(PHASE)
    change_token_elsewhere("anderswo-gespeichert")
    baking.refresh()
    assert baking.current_token_on_disk(bake_dir) == "anderswo-gespeichert"
    assert baked_paths(bake_dir) == []


def test_a_page_rendered_under_an_older_content_state_is_not_baked(
    client, roadmap, bake_dir, monkeypatch
):
    """The request read its token before an editor's change was committed."""
    change_token_elsewhere("neu")
    reads = iter(["alt"])  # what the request read; every later read sees the database
    read_from_database = lookups.read_token
    monkeypatch.setattr(lookups, "read_token", lambda: next(reads, None) or read_from_database())
    client.get(PHASE)
    assert baking.current_token_on_disk(bake_dir) == "neu"
    assert not (bake_dir / "alt").exists()
    assert baked_paths(bake_dir) == []


def test_the_request_that_notices_a_change_first_switches_the_folder(client, roadmap, bake_dir):
    change_token_elsewhere("schon-neu")
    client.get(PHASE)
    assert baking.current_token_on_disk(bake_dir) == "schon-neu"
    assert baked_paths(bake_dir) == ["phasen/ideenfindung/index.html"]


def test_a_revalidation_is_answered_in_full_while_the_page_is_not_baked(client, roadmap, bake_dir):
    etag = client.get(PHASE)["ETag"]
    (bake_dir / baking.CURRENT / "phasen/ideenfindung/index.html").unlink()
    again = client.get(PHASE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert (bake_dir / baking.CURRENT / "phasen/ideenfindung/index.html").exists()
    assert client.get(PHASE, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_baked_page_is_rendered_afresh_not_taken_from_the_page_cache(
    client, roadmap, page_cache_on, settings, tmp_path
):
    client.get(PHASE)
    assert client.get(PHASE)["X-Page-Cache"] == "hit"
    settings.BAKE_DIR = str(tmp_path / "baked")
    baking.refresh()
    assert client.get(PHASE)["X-Page-Cache"] == "miss"
    assert client.get(PHASE)["X-Page-Cache"] == "hit"  # baked already: the cache serves again


def test_an_unwritable_folder_never_breaks_a_page(client, roadmap, settings, tmp_path, caplog):
    blocker = tmp_path / "eine-datei"
    blocker.write_text("kein Ordner")
    settings.BAKE_DIR = str(blocker / "baked")
    with caplog.at_level(logging.WARNING, logger="core.baking"):
        assert client.get(PHASE).status_code == 200
        assert client.get(PHASE).status_code == 200
    assert caplog.text.count("Could not switch baked pages") == 1


def test_empty_removes_every_baked_page_and_the_link(client, roadmap, bake_dir):
    client.get(PHASE)
    baking.empty()
    assert [entry.name for entry in bake_dir.iterdir()] == [baking.LOCK]


def test_switching_and_emptying_never_touch_what_baking_did_not_create(client, roadmap, bake_dir):
    """A DJANGO_BAKE_DIR set to a folder with other contents by mistake loses nothing."""
    (bake_dir / "notizen.txt").write_text("wichtig")
    (bake_dir / "ablage").mkdir()
    (bake_dir / "ablage" / "brief.odt").write_text("Entwurf")
    client.get(PHASE)
    change_token_elsewhere("neuer-stand")
    baking.refresh()
    baking.empty()
    assert (bake_dir / "notizen.txt").read_text() == "wichtig"
    assert (bake_dir / "ablage" / "brief.odt").read_text() == "Entwurf"
    assert sorted(entry.name for entry in bake_dir.iterdir()) == [
        baking.LOCK,
        "ablage",
        "notizen.txt",
    ]


def test_a_link_left_by_a_process_that_died_mid_switch_is_cleared(client, roadmap, bake_dir):
    (bake_dir / ".current-99999").symlink_to("irgendwo")
    change_token_elsewhere("danach")
    baking.refresh()
    assert not (bake_dir / ".current-99999").is_symlink()
    assert baking.current_token_on_disk(bake_dir) == "danach"


def test_without_a_folder_nothing_is_baked_and_no_watcher_starts(client, roadmap, settings):
    settings.BAKE_DIR = ""
    assert client.get(PHASE).status_code == 200
    assert baking.start_watcher() is None


def test_the_watcher_refreshes_again_and_again_until_stopped(bake_dir, monkeypatch, settings):
    settings.BAKE_POLL_SECONDS = 0.01
    rounds = threading.Semaphore(0)
    monkeypatch.setattr(baking, "refresh", rounds.release)
    stop = threading.Event()
    thread = baking.start_watcher(stop)
    try:
        assert all(rounds.acquire(timeout=5) for _ in range(3))
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_a_transaction_that_saves_many_entries_switches_once(
    roadmap, bake_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for number in range(5):
            factories.glossary_term(term=f"Begriff {number}")
    assert [c for c in callbacks if c is baking._refresh_quietly] == [baking._refresh_quietly]
