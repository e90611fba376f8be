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


def _django_error(django_class, psycopg_error):
    """A database error as Django raises it: wrapping psycopg's, which carries the SQLSTATE."""
    error = django_class(str(psycopg_error))
    error.__cause__ = psycopg_error
    return error


def _search_raises(monkeypatch, error):
    def fail(*args):
        raise error

    monkeypatch.setattr("search.views.search", fail)


@pytest.fixture
def closed_connections(monkeypatch):
    closed = []
    monkeypatch.setattr("core.outage.connections.close_all", lambda: closed.append(1))
    return closed


def test_a_stale_prepared_statement_answers_503_and_reconnects(
    client, roadmap, monkeypatch, closed_connections
):
    # What PostgreSQL 15 answers (reproduced with psycopg) once ``migrate`` changed the type
    # of a column that a statement prepared before reads.
    stale = psycopg.errors.FeatureNotSupported("cached plan must not change result type")
    with monkeypatch.context() as patch:
        _search_raises(patch, _django_error(NotSupportedError, stale))
        response = client.get("/suche/", {"q": "Problemanalyse"})
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>Vorübergehend nicht erreichbar</h1>" in html
    assert "cached plan" not in html
    assert closed_connections == [1]  # its prepared statements go with the connection
    response = client.get("/suche/", {"q": "Problemanalyse"})
    assert response.status_code == 200
    assert closed_connections == [1]


@pytest.mark.parametrize(
    "error",
    [
        psycopg.errors.InvalidSqlStatementName('prepared statement "_pg3_0" does not exist'),
        psycopg.errors.DuplicatePreparedStatement('prepared statement "_pg3_0" already exists'),
    ],
)
def test_prepared_statements_behind_a_pooler_answer_503_and_name_the_setting(
    client, roadmap, monkeypatch, caplog, closed_connections, error
):
    _search_raises(monkeypatch, _django_error(ProgrammingError, error))
    response = client.get("/suche/", {"q": "Problemanalyse"})
    assert response.status_code == 503
    assert "_pg3_0" not in response.content.decode()
    assert closed_connections == [1]
    assert "DJANGO_DB_PREPARED_STATEMENTS=0" in caplog.text


def test_other_unsupported_features_stay_errors(client, roadmap, monkeypatch):
    other = psycopg.errors.FeatureNotSupported("FOR UPDATE is not allowed here")
    _search_raises(monkeypatch, _django_error(NotSupportedError, other))
    client.raise_request_exception = False
    assert client.get("/suche/", {"q": "Problemanalyse"}).status_code == 500
