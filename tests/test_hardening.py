"""Smaller hardening: stale-save token, SQLite write waits, shared rate-limit counters,
Permissions-Policy, no staticfiles.json, open-data validators and cached downloads."""

import sqlite3
import threading
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import RequestFactory
from django.urls import reverse

from core.publishing import Status
from core.static_files import StaticFilesMiddleware
from editorial.editorial_groups import CHEFREDAKTION
from editorial.locking import LOCK_FIELD
from opendata import export
from tests import factories
from tests.admin_helpers import change_form_data, editor, logged_in
from tests.subprocess_helpers import probe_json

pytestmark = pytest.mark.django_db

PROBE = """
import json, roadmap.settings as s
print(json.dumps({"db": s.DATABASES["default"].get("OPTIONS", {}), "caches": s.CACHES,
                  "ratelimit": s.RATELIMIT_USE_CACHE}))
"""


def settings_for(**env):
    return probe_json(PROBE, unset=("DJANGO_", "DATABASE_", "REDIS_URL"), env=env)


# -- stale-save token ---------------------------------------------------------------------


@pytest.fixture
def chefredaktion(django_user_model):
    return logged_in(editor(django_user_model, "chefin", CHEFREDAKTION))


def test_a_change_form_without_the_edit_token_is_refused_in_german(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    url = reverse("admin:phases_criterion_change", args=[criterion.pk])
    data = change_form_data(chefredaktion, url, title="Überschrieben")
    del data[LOCK_FIELD]
    response = chefredaktion.post(url, data)
    assert response.status_code == 200
    assert "Es fehlt die Angabe, welche Fassung Sie bearbeitet haben" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.title == "Problemanalyse"


def test_an_empty_edit_token_is_refused_too(chefredaktion, roadmap):
    url = reverse("admin:phases_criterion_change", args=[roadmap["criterion"].pk])
    data = change_form_data(chefredaktion, url, title="Überschrieben", **{LOCK_FIELD: ""})
    assert chefredaktion.post(url, data).status_code == 200


def test_a_change_form_with_its_token_still_saves(chefredaktion, roadmap):
    url = reverse("admin:phases_criterion_change", args=[roadmap["criterion"].pk])
    response = chefredaktion.post(url, change_form_data(chefredaktion, url, title="Neu"))
    assert response.status_code == 302


# -- SQLite: writers wait -----------------------------------------------------------------


def sqlite_wrapper(path, options):
    return DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="concurrency-drill",
    )


def read_then_write(path, options, hold, errors):
    """What an admin save does: read the row, then write it, in one transaction."""
    wrapper = sqlite_wrapper(path, options)
    try:
        wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (n,) = cursor.fetchone()
            time.sleep(hold)
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
        wrapper.commit()
    except Exception as error:
        errors.append(error)
    finally:
        wrapper.close()


def test_two_simultaneous_sqlite_writes_wait_instead_of_failing(tmp_path):
    options = settings_for()["db"]
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as plain:
        plain.execute("CREATE TABLE counter (n INTEGER)")
        plain.execute("INSERT INTO counter VALUES (0)")
    errors = []
    threads = [
        threading.Thread(target=read_then_write, args=(path, options, 0.3, errors))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite3.connect(path) as plain:
        assert plain.execute("SELECT n FROM counter").fetchone() == (2,)


# -- shared rate-limit counters -----------------------------------------------------------


def test_rate_limit_counters_live_in_the_database_without_redis():
    values = settings_for()
    assert values["ratelimit"] == "ratelimit"
    assert values["caches"]["ratelimit"]["BACKEND"].endswith("db.DatabaseCache")


def test_rate_limit_counters_live_in_redis_when_there_is_one():
    values = settings_for(REDIS_URL="redis://127.0.0.1:6379/0")
    assert values["caches"]["ratelimit"]["BACKEND"].endswith("RedisCache")


def test_a_new_fahrplan_is_counted_in_the_shared_table(client, roadmap):
    table = settings.CACHES["ratelimit"]["LOCATION"]
    assert settings.RATELIMIT_USE_CACHE == "ratelimit"
    assert client.post("/fahrplan/neu/", {}).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        assert cursor.fetchone()[0] >= 1
    caches["ratelimit"].clear()


# -- headers and static files -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/gibt-es-nicht/", "/api/v1/"])
def test_every_response_switches_powerful_browser_features_off(client, db, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_staticfiles_json_is_never_served(tmp_path, settings):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body{}")
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}')
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    middleware = StaticFilesMiddleware(lambda request: None)
    assert "/static/css/site.css" in middleware.files
    assert "/static/staticfiles.json" not in middleware.files
    request = RequestFactory().get("/static/staticfiles.json")
    assert middleware(request) is None  # handed on to Django, which answers 404


# -- open-data validators and downloads ---------------------------------------------------


def test_editing_a_draft_leaves_the_api_validators_unchanged(client, roadmap):
    draft = factories.criterion(roadmap["first"], status=Status.DRAFT, title="Noch geheim")
    before = client.get("/api/v1/criteria/")
    draft.summary = "Geändert"
    draft.save()
    after = client.get("/api/v1/criteria/")
    assert after["ETag"] == before["ETag"]
    assert after["Last-Modified"] == before["Last-Modified"]
    assert (
        client.get("/api/v1/criteria/", headers={"If-None-Match": before["ETag"]}).status_code
        == 304
    )


def test_editing_published_content_changes_the_api_validators(client, roadmap):
    before = client.get("/api/v1/criteria/")["ETag"]
    roadmap["criterion"].summary = "Neu gefasst"
    roadmap["criterion"].save()
    assert client.get("/api/v1/criteria/")["ETag"] != before


def record_calls(monkeypatch, name, note):
    """Wraps ``export.<name>`` so that every call is noted as ``note(*args)``; the list."""
    calls = []
    build = getattr(export, name)

    def counting(*args):
        calls.append(note(*args))
        return build(*args)

    monkeypatch.setattr(export, name, counting)
    return calls


def test_the_json_download_is_built_once_per_content_version(
    client, roadmap, monkeypatch, django_assert_max_num_queries
):
    calls = record_calls(monkeypatch, "document_json", lambda request, version: version.etag)
    first = client.get("/daten/skalierungsroadmap.json")
    with django_assert_max_num_queries(1):  # only the version
        second = client.get("/daten/skalierungsroadmap.json")
    assert first.content == second.content and len(calls) == 1
    roadmap["criterion"].title = "Problem- und Bedarfsanalyse"
    roadmap["criterion"].save()
    third = client.get("/daten/skalierungsroadmap.json")
    assert "Problem- und Bedarfsanalyse" in third.content.decode() and len(calls) == 2


def test_csv_downloads_are_cached_per_version_too(client, roadmap, monkeypatch):
    calls = record_calls(monkeypatch, "csv_text", lambda csv_export, request: csv_export.name)
    for _ in range(3):
        assert client.get("/daten/kriterien.csv").status_code == 200
    assert calls == ["kriterien"]
