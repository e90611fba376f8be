"""A hung database gives the German 503 page within seconds; /health/ names what fails."""

import runpy
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.subprocess_helpers import probe_json

pytestmark = pytest.mark.django_db

PHASE_URL = "/phasen/ideenfindung/"
GERMAN_503 = "Vorübergehend nicht erreichbar"

PROBE = """
import json, roadmap.settings as s
print(json.dumps({"options": s.DATABASES["default"].get("OPTIONS", {}),
                  "request_timeout": s.REQUEST_TIMEOUT}))
"""


def settings_for(**env):
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 50}
    return probe_json(PROBE, env=production | env)


# -- configuration ------------------------------------------------------------------------


def test_postgresql_gets_connect_and_statement_timeouts_of_five_seconds():
    values = settings_for(DATABASE_URL="postgres://u:p@db.example.org:5432/roadmap")
    assert values["options"]["connect_timeout"] == 5
    assert "-c statement_timeout=5s" in values["options"]["options"]
    assert values["request_timeout"] == 6


def test_the_timeouts_are_configurable():
    values = settings_for(
        DATABASE_URL="postgres://u:p@db.example.org:5432/roadmap",
        DJANGO_DB_CONNECT_TIMEOUT="2",
        DJANGO_DB_STATEMENT_TIMEOUT="0",
        DJANGO_REQUEST_TIMEOUT="12",
    )
    assert values["options"]["connect_timeout"] == 2
    assert "statement_timeout=0s" in values["options"]["options"]
    assert values["request_timeout"] == 12


def test_sqlite_writers_wait_for_each_other_instead_of_failing():
    values = settings_for()
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert values["options"]["timeout"] >= 10


def test_gunicorn_waits_longer_than_the_request_deadline():
    gunicorn = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    assert gunicorn["timeout"] > settings_for()["request_timeout"] + 10


# -- the deadline -------------------------------------------------------------------------


def hang_database(monkeypatch, seconds=5):
    """Every new query waits as it does on a frozen server (interruptible, like psycopg)."""

    def wait(self):
        time.sleep(seconds)

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", wait)


# Outside a test transaction: the deadline closes the connection, the next request
# opens a new one, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_hung_database_gives_the_german_503_page_within_the_deadline(
    client, roadmap, settings, monkeypatch
):
    assert client.get(PHASE_URL).status_code == 200  # everything imported and compiled
    settings.REQUEST_TIMEOUT = 0.5
    started = time.monotonic()
    with monkeypatch.context() as patch:
        hang_database(patch)
        response = client.get(PHASE_URL)
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert GERMAN_503 in response.content.decode()
    assert response["Retry-After"] == "30"
    # And the next request works again, without a restart.
    assert client.get(PHASE_URL).status_code == 200


# Outside a test transaction: the deadline closes the connection, the next request
# opens a new one, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_deadline_passing_in_middleware_still_gives_the_503_page(
    client, roadmap, settings, monkeypatch
):
    assert client.get(PHASE_URL).status_code == 200
    settings.REQUEST_TIMEOUT = 0.5

    def slow(self, request):
        time.sleep(5)

    monkeypatch.setattr("django.middleware.csrf.CsrfViewMiddleware.process_request", slow)
    client.raise_request_exception = False
    response = client.get(PHASE_URL)
    assert response.status_code == 503
    assert GERMAN_503 in response.content.decode()


def test_fast_requests_are_left_alone_and_no_alarm_stays_armed(client, roadmap, settings):
    import signal

    settings.REQUEST_TIMEOUT = 5
    assert client.get(PHASE_URL).status_code == 200
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# -- /health/ -----------------------------------------------------------------------------


def test_health_names_a_failing_database(client, db, monkeypatch):
    def refuse(self):
        raise OperationalError("connection to server at 10.1.2.3 failed: timeout expired")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "timeout", "schema": "unknown", "cache": "ok"},
    }
    assert "no-store" in response["Cache-Control"]
    assert "10.1.2.3" not in response.content.decode()


def test_health_names_a_failing_cache_but_stays_up(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr("core.health.cache.get", broken)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "schema": "ok", "cache": "unavailable"},
    }


def test_health_keeps_an_instance_out_while_migrations_are_pending(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    from core import health

    monkeypatch.setattr(health, "_schema_current", False)
    real_plan = MigrationExecutor.migration_plan
    pending = [("core", "0099_not_applied")]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: pending)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["schema"] == "migrations_pending"
    monkeypatch.setattr(MigrationExecutor, "migration_plan", real_plan)
    assert client.get("/health/").json()["checks"]["schema"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_after_a_hang_the_next_requests_get_a_short_deadline(
    client, roadmap, settings, monkeypatch
):
    from core import timeouts

    monkeypatch.setattr(timeouts, "_hang_suspected_until", 0.0)
    assert client.get(PHASE_URL).status_code == 200
    settings.REQUEST_TIMEOUT = 1
    settings.REQUEST_TIMEOUT_AFTER_HANG = 0.2
    with monkeypatch.context() as patch:
        hang_database(patch)
        first_started = time.monotonic()
        assert client.get(PHASE_URL).status_code == 503
        first = time.monotonic() - first_started
        second_started = time.monotonic()
        assert client.get(PHASE_URL).status_code == 503
        second = time.monotonic() - second_started
    assert first >= 1 and second < 0.8
    # Once the database answers, the short deadline is no obstacle.
    assert client.get(PHASE_URL).status_code == 200


def test_pages_answer_503_while_migrations_are_pending(client, roadmap, monkeypatch):
    from django.db import ProgrammingError

    from core import health

    def missing_column(*args, **kwargs):
        raise ProgrammingError('column "new_field" does not exist')

    monkeypatch.setattr("phases.views.PhaseDetailView.get_object", missing_column)
    monkeypatch.setattr(health, "check_schema", lambda: "migrations_pending")
    response = client.get("/phasen/pilotphase/")
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_a_programming_error_with_a_current_schema_stays_an_error(client, roadmap, monkeypatch):
    from django.db import ProgrammingError

    def broken_sql(*args, **kwargs):
        raise ProgrammingError("syntax error")

    monkeypatch.setattr("phases.views.PhaseDetailView.get_object", broken_sql)
    client.raise_request_exception = False
    assert client.get("/phasen/pilotphase/").status_code == 500
