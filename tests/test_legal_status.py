"""The dated legal note ("Rechtsstand") on a criterion page."""

import datetime

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_criterion_page_shows_the_legal_note_with_its_date(client, roadmap):
    criterion = roadmap["criterion"]
    criterion.legal_status_on = datetime.date(2026, 12, 5)
    criterion.legal_status_note = "Ab dem **1. Januar 2027** gilt § 2b UStG."
    criterion.save()
    html = client.get(criterion.get_absolute_url()).content.decode()
    assert "Rechtsstand: 5. Dezember 2026" in html
    assert "<strong>1. Januar 2027</strong>" in html
    assert "keine Rechtsberatung" in html


def test_criterion_without_legal_note_has_no_legal_section(client, roadmap):
    html = client.get(roadmap["criterion"].get_absolute_url()).content.decode()
    assert 'id="rechtsstand"' not in html


def test_the_legal_note_is_sanitized(client, roadmap):
    criterion = factories.criterion(
        roadmap["first"],
        [roadmap["economic"]],
        legal_status_note="Text <script>alert(1)</script> [Link](javascript:alert(2))",
    )
    html = client.get(criterion.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html
