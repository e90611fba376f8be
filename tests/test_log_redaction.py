"""Secret Fahrplan links never appear in a log line (Django's loggers and gunicorn's access log)."""

import logging
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db.utils import OperationalError
from django.test import Client
from gunicorn.config import Config

from core.log_redaction import RedactTokensFilter, redact
from selfcheck.models import Fahrplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    return Fahrplan.create_with_token()[1]


def logged_text(caplog):
    return "\n".join(caplog.handler.format(record) for record in caplog.records)


def test_redact_replaces_the_token_part_only():
    token = "A" * 43
    assert redact(f"Not Found: /fahrplan/{token}/loeschen/") == (
        "Not Found: /fahrplan/[redacted]/loeschen/"
    )
    assert redact("GET /fahrplan/neu/ HTTP/1.1") == "GET /fahrplan/neu/ HTTP/1.1"


def test_csrf_warning_for_a_plan_hides_its_token(caplog, token):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        response = client.post(f"/fahrplan/{token}/", {"phase": "x"})
    assert response.status_code == 403
    text = logged_text(caplog)
    assert "Forbidden (CSRF cookie not set.)" in text
    assert "/fahrplan/[redacted]/" in text and token not in text


def test_not_found_warning_hides_a_mistyped_token(caplog, client, db):
    wrong = "B" * 43
    with caplog.at_level(logging.WARNING):
        assert client.get(f"/fahrplan/{wrong}/").status_code == 404
    text = logged_text(caplog)
    assert "Not Found" in text and wrong not in text


def test_outage_log_line_hides_the_token(caplog, client, token, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("selfcheck.views.FahrplanView.get_fahrplan", broken)
    with caplog.at_level(logging.WARNING):
        response = client.get(f"/fahrplan/{token}/")
    assert response.status_code == 503
    text = logged_text(caplog)
    assert "/fahrplan/" in text and token not in text


def test_tracebacks_are_redacted_too(caplog, token):
    logger = logging.getLogger("roadmap.test")
    try:
        raise ValueError(f"kaputt bei /fahrplan/{token}/")
    except ValueError:
        with caplog.at_level(logging.ERROR):
            logger.exception("Fehler")
    assert "ValueError: kaputt bei /fahrplan/[redacted]/" in logged_text(caplog)
    assert token not in logged_text(caplog)


def test_the_filter_redacts_records_of_any_origin(token):
    record = logging.LogRecord(
        "x", logging.WARNING, "f", 1, "Pfad %s", (f"/fahrplan/{token}/",), None
    )
    assert RedactTokensFilter().filter(record)
    assert record.getMessage() == "Pfad /fahrplan/[redacted]/"


def test_settings_route_every_record_through_the_redaction():
    assert settings.LOGGING_CONFIG == "core.log_redaction.configure"
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_tokens"]


def test_gunicorn_access_log_hides_the_token(token):
    conf = runpy.run_path(str(settings.BASE_DIR / "deploy" / "gunicorn.conf.py"))
    logger = conf["logger_class"](Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/fahrplan/{token}/?neu=1",
        "PATH_INFO": f"/fahrplan/{token}/",
        "QUERY_STRING": "neu=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://roadmap.example.org/fahrplan/{token}/",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=5))
    line = Config().access_log_format % atoms
    assert "/fahrplan/[redacted]/" in line and token not in line
    assert token not in str(atoms)
