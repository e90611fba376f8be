"""A database outage gives visitors a German 503 page (core/outage.py), never a traceback."""

import psycopg
import pytest
from django.db import InterfaceError, NotSupportedError, OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db

PHASE_URL = "/phasen/ideenfindung/"


def _database_down(monkeypatch, error):
    """Every new query fails as it does when the server refuses connections."""

    def refuse(self):
        raise error("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
# /health/ answers in JSON which dependency fails (tests/test_timeouts.py).
@pytest.mark.parametrize("url", [PHASE_URL, "/", "/kriterien/?phase=ideenfindung"])
def test_database_outage_answers_with_german_503_page_without_traceback(
    client, roadmap, monkeypatch, error, url
):
    with monkeypatch.context() as patch:
        _database_down(patch, error)
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "<h1>Vorübergehend nicht erreichbar</h1>" in html
    assert '<html lang="de">' in html
    for leak in ("Traceback", "OperationalError", "InterfaceError", "127.0.0.1", "Connection"):
        assert leak not in html


def test_site_recovers_without_restart_once_the_database_is_back(client, roadmap, monkeypatch):
    with monkeypatch.context() as patch:
        _database_down(patch, OperationalError)
        assert client.get(PHASE_URL).status_code == 503
    response = client.get(PHASE_URL)
    assert response.status_code == 200
    assert "Bedarf belegt" in response.content.decode()


def test_other_errors_still_become_the_ordinary_500_page(client, roadmap, monkeypatch):
    def broken(self, **kwargs):
        raise ValueError("kaputt")

    monkeypatch.setattr("information.views.HomeView.get_context_data", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()


def test_outage_is_logged_for_operators(client, roadmap, monkeypatch, caplog):
    with monkeypatch.context() as patch:
        _database_down(patch, OperationalError)
        client.get(PHASE_URL)
    assert "Database unavailable, answered 503 for /phasen/ideenfindung/" in caplog.text


def _stale_prepared_statement():
    """What Django raises when PostgreSQL refuses a statement prepared before ``migrate``
    changed the type of a column it reads (reproduced with psycopg against PostgreSQL 15)."""
    error = NotSupportedError("cached plan must not change result type")
    error.__cause__ = psycopg.errors.FeatureNotSupported("cached plan must not change result type")
    return error


def test_a_stale_prepared_statement_answers_503_and_reconnects(client, roadmap, monkeypatch):
    closed = []
    monkeypatch.setattr("core.outage.connections.close_all", lambda: closed.append(1))
    with monkeypatch.context() as patch:
        patch.setattr(
            "search.views.search", lambda *args: (_ for _ in ()).throw(_stale_prepared_statement())
        )
        response = client.get("/suche/", {"q": "Problemanalyse"})
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>Vorübergehend nicht erreichbar</h1>" in html
    assert "cached plan" not in html
    assert closed == [1]  # its prepared statements go with the connection
    response = client.get("/suche/", {"q": "Problemanalyse"})
    assert response.status_code == 200
    assert closed == [1]


@pytest.mark.parametrize(
    "error",
    [
        psycopg.errors.InvalidSqlStatementName('prepared statement "_pg3_0" does not exist'),
        psycopg.errors.DuplicatePreparedStatement('prepared statement "_pg3_0" already exists'),
    ],
)
def test_prepared_statements_behind_a_pooler_answer_503_and_name_the_setting(
    client, roadmap, monkeypatch, caplog, error
):
    wrapped = ProgrammingError(str(error))
    wrapped.__cause__ = error
    closed = []
    monkeypatch.setattr("core.outage.connections.close_all", lambda: closed.append(1))
    monkeypatch.setattr("search.views.search", lambda *args: (_ for _ in ()).throw(wrapped))
    response = client.get("/suche/", {"q": "Problemanalyse"})
    assert response.status_code == 503
    assert "_pg3_0" not in response.content.decode()
    assert closed == [1]
    assert "DJANGO_DB_PREPARED_STATEMENTS=0" in caplog.text


def test_other_unsupported_features_stay_errors(client, roadmap, monkeypatch):
    error = NotSupportedError("not supported")
    error.__cause__ = psycopg.errors.FeatureNotSupported("FOR UPDATE is not allowed here")
    monkeypatch.setattr("search.views.search", lambda *args: (_ for _ in ()).throw(error))
    client.raise_request_exception = False
    assert client.get("/suche/", {"q": "Problemanalyse"}).status_code == 500
