"""The Fahrplan tools in a real browser with the real content: the whole journey from a new
Fahrplan to the downloaded calendar and documents, axe-core on every new page, 320 px width.
"""

import io
import re

import pytest
from docx import Document as DocxDocument
from icalendar import Calendar
from odfdo import Document as OdfDocument
from playwright.sync_api import expect

from tests.browser_helpers import (
    NARROW,
    OVERFLOW_SCRIPT,
    axe_violations,
    screenshot,
    visit,
)

# The fixtures (live_site, browser, browser_context, page) come from tests/browser.py.
pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.django_db


def create_fahrplan(page):
    visit(page, "/fahrplan/neu/")
    page.get_by_role("button", name="Fahrplan jetzt anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Fahrplan")
    return re.match(r".*(/fahrplan/[A-Za-z0-9_-]{43}/)", page.url).group(1)


def download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


@pytest.fixture(scope="module")
def planned_fahrplan(live_site, browser_context):
    """A Fahrplan with funding end, a decision and document fields, made through the UI."""
    tab = browser_context.new_page()
    tab.recorder = type("R", (), {"csp": []})()  # no recording needed for the set-up
    base = create_fahrplan(tab)
    tab.get_by_role("link", name="Zeitplan bis Förderende").first.click()
    tab.get_by_label("Ende der Förderung").fill("2027-12-31")
    tab.get_by_role("button", name="Termine speichern und Zeitplan berechnen").click()
    # Closing the tab while the form's answer is still loading once hung Chromium's close()
    # for good (CI on PostgreSQL), and the dates might not have been saved yet.
    expect(tab.get_by_text("Ihre Termine sind gespeichert")).to_be_visible()
    tab.close()
    return base


def test_journey_from_a_new_fahrplan_to_schedule_calendar_and_documents(live_site, page):
    base = create_fahrplan(page)
    page.get_by_role("navigation", name="Werkzeuge des Fahrplans").get_by_role(
        "link", name="Zeitplan bis Förderende"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zeitplan bis Förderende")

    page.get_by_label("Ende der Förderung").fill("2027-12-31")
    page.get_by_label("Nächste Ratssitzung (optional)", exact=True).fill("2027-03-10")
    page.get_by_role("button", name="Termine speichern und Zeitplan berechnen").click()
    expect(page.get_by_text("Ihre Termine sind gespeichert")).to_be_visible()
    expect(page.get_by_text("Förderende: 31. Dezember 2027")).to_be_visible()
    tender = page.locator(".fahrplan-deadline", has_text="Vergaberecht und Beschaffungsstrategie")
    expect(tender).to_contain_text("Spätester Beginn: 31.12.2026")

    name, ics = download(page, "Zeitplan als Kalenderdatei (.ics) herunterladen")
    assert name == "fahrplan-zeitplan.ics"
    calendar = Calendar.from_ical(ics)
    summaries = {str(ev["SUMMARY"]) for ev in calendar.walk("VEVENT")}
    assert {"Ende der Förderung", "Ratssitzung"} <= summaries
    assert "Spätester Beginn: Vergaberecht und Beschaffungsstrategie" in summaries

    page.get_by_role("link", name="Entscheidungen").first.click()
    section = page.locator("#entscheidung-ideenfindung")
    section.get_by_label("weitermachen", exact=True).check()
    section.get_by_label("Datum der Entscheidung").fill("2026-10-01")
    section.get_by_label("Begründung").fill("Bedarf bestätigt.")
    section.get_by_role("button").click()
    expect(page.get_by_text("Ihre Entscheidung ist festgehalten.")).to_be_visible()

    page.get_by_role("link", name="Dokumente").first.click()
    page.get_by_label("Name der Lösung").fill("Parken <smart> & {kommune}")
    page.get_by_label("Kommune").fill("Musterstadt")
    page.get_by_label("Erwartete Kosten je Jahr in Euro").fill("45000")
    page.get_by_role("button", name="Angaben speichern").click()
    expect(page.get_by_text("Ihre Angaben sind gespeichert")).to_be_visible()

    name, docx = download(page, "Beschlussvorlage zur Verstetigung (Entwurf) als DOCX (Word)")
    assert name == "beschlussvorlage-verstetigung-entwurf.docx"
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx)).paragraphs)
    assert "Parken <smart> & {kommune}" in text and "Musterstadt" in text
    assert "45.000 Euro" in text and "Bedarf bestätigt." in text

    name, odt = download(page, "Betriebskonzept (Gliederung) als ODT (LibreOffice)")
    assert name == "betriebskonzept-gliederung-entwurf.odt"
    odt_text = OdfDocument(io.BytesIO(odt)).body.text_recursive
    assert "Parken <smart> & {kommune}" in odt_text and "Arbeitsstrang" in odt_text
    assert page.recorder.problems() == {}
    assert base in page.url


def test_bad_date_shows_a_german_error_linked_to_its_field(live_site, page, planned_fahrplan):
    visit(page, planned_fahrplan + "zeitplan/")
    page.get_by_label("Frist der Haushaltsanmeldung").fill("1990-01-01")
    page.get_by_role("button", name="Termine speichern und Zeitplan berechnen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("liegt zu weit in der Vergangenheit")
    field = page.get_by_label("Frist der Haushaltsanmeldung")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("zu weit in der Vergangenheit"))
    assert axe_violations(page)[0] == 0


@pytest.mark.parametrize("suffix", ["zeitplan/", "entscheidungen/", "dokumente/", None])
def test_new_pages_have_no_wcag_21_aa_violations_and_fit_320_pixels(
    live_site, page, planned_fahrplan, suffix
):
    path = "/vorlagen/" if suffix is None else planned_fahrplan + suffix
    visit(page, path)
    name = "vorlagen" if suffix is None else f"fahrplan-{suffix.strip('/')}"
    screenshot(page, name)
    count, report = axe_violations(page)
    assert count == 0, report
    page.set_viewport_size(NARROW)
    visit(page, path)
    screenshot(page, name)
    assert page.evaluate(OVERFLOW_SCRIPT) == [], f"{path} scrolls sideways at 320 px"
    assert page.recorder.problems() == {}


def test_schedule_phases_collapse_and_open_without_javascript(live_site, browser, planned_fahrplan):
    context = browser.new_context(base_url=live_site.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(planned_fahrplan + "zeitplan/")
    phases = tab.locator("details.fahrplan-schedule-phase")
    assert phases.count() >= 2
    first = phases.first
    expect(first).to_have_attribute("open", "")
    first.locator("summary").click()
    expect(first).not_to_have_attribute("open", "")
    first.locator("summary").click()
    expect(first).to_have_attribute("open", "")
    context.close()
