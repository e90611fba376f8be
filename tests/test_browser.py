"""The site in a real browser with the real content: journeys, keyboard use, 320 px width.

Every page must stay on 127.0.0.1, log no console error and cause no CSP violation.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import (
    NARROW,
    OVERFLOW_SCRIPT,
    PAGE_TYPES,
    expected_errors,
    expected_status,
    new_page,
    screenshot,
    visit,
)

# The fixtures (live_site, browser, browser_context, page) come from tests/browser.py.
pytest_plugins = ["tests.browser"]
# Makes pytest-django create the test database; the content is loaded once per module.
pytestmark = pytest.mark.django_db

MAX_TABS = 120  # a keyboard user reaches every target within this many key presses

# Where the focus is after a key press, and whether it shows a visible focus ring.
FOCUS_SCRIPT = """(target) => {
  const focused = document.activeElement;
  const style = getComputedStyle(focused);
  return {
    reached: focused === target,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    text: (focused.textContent || focused.id || focused.tagName).trim().slice(0, 60),
  };
}"""


def heading(page):
    return page.get_by_role("heading", level=1)


def assert_clean(page):
    """Nothing left 127.0.0.1, nothing was logged as an error, the CSP blocked nothing."""
    assert page.recorder.problems() == {}


@pytest.fixture(scope="module")
def narrow_tour(live_site, browser_context):
    """Every page type once at 320 px: what sticks out and what went wrong, per page type."""
    tab = new_page(browser_context)
    tab.set_viewport_size(NARROW)
    overflow, problems = {}, {}
    for page_type in PAGE_TYPES:
        tab.recorder.clear()
        visit(tab, live_site.paths[page_type], expected_status(page_type))
        screenshot(tab, page_type)
        overflow[page_type] = tab.evaluate(OVERFLOW_SCRIPT)
        problems[page_type] = tab.recorder.problems(expected_errors(page_type))
    tab.close()
    return overflow, problems


def test_no_page_type_scrolls_sideways_at_320_pixels(narrow_tour):
    overflow, _ = narrow_tour
    assert len(overflow) == len(PAGE_TYPES)
    assert {page_type: found for page_type, found in overflow.items() if found} == {}


def test_no_page_type_requests_another_host_logs_errors_or_violates_the_csp(narrow_tour):
    _, problems = narrow_tour
    assert {page_type: found for page_type, found in problems.items() if found} == {}


def test_newcomer_goes_from_start_through_phase_criteria_and_example_to_search(live_site, page):
    journey = live_site.journey
    visit(page, "/")
    expect(heading(page)).to_have_text("Wo steht meine Kommune?")

    phases = page.get_by_role("region", name="In welcher Phase ist Ihre Lösung?")
    phases.get_by_role("link", name=journey.phase).click()
    expect(page).to_have_url(re.compile(re.escape(journey.phase_path) + "$"))
    expect(heading(page)).to_contain_text(journey.phase)

    criteria = page.get_by_role("region", name="Kriterien nach Arbeitsstrang")
    criteria.get_by_role("link", name=journey.criterion, exact=True).first.click()
    expect(heading(page)).to_have_text(journey.criterion)

    references = page.get_by_role("region", name="Querverweise")
    references.get_by_role("link", name=journey.related, exact=True).click()
    expect(heading(page)).to_have_text(journey.related)

    examples = page.get_by_role("region", name="Praxisbeispiele")
    examples.get_by_role("link", name=journey.example, exact=True).click()
    expect(heading(page)).to_have_text(journey.example)

    site_search = page.get_by_role("search", name="Website durchsuchen")
    site_search.get_by_label("Suchbegriff").fill(journey.related)
    site_search.get_by_role("button", name="Suchen").click()
    expect(heading(page)).to_have_text("Suche")
    expect(page.get_by_role("main").get_by_role("link", name=journey.related)).not_to_have_count(0)
    assert_clean(page)


def press_tab_until(page, target, without_ring):
    """Press Tab until ``target`` has the focus; note focused elements without a focus ring."""
    element = target.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = element.evaluate(FOCUS_SCRIPT)
        if not focus["ring"]:
            without_ring.append(focus["text"])
        if focus["reached"]:
            return
    pytest.fail(f"Tab never reached {target}")


def test_keyboard_user_skips_to_content_follows_links_filters_and_searches(live_site, page):
    journey, without_ring = live_site.journey, []
    visit(page, "/")

    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    press_tab_until(page, skip_link, without_ring)
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    phases = page.get_by_role("region", name="In welcher Phase ist Ihre Lösung?")
    press_tab_until(page, phases.get_by_role("link", name=journey.phase), without_ring)
    page.keyboard.press("Enter")
    expect(heading(page)).to_contain_text(journey.phase)

    criteria = page.get_by_role("region", name="Kriterien nach Arbeitsstrang")
    link = criteria.get_by_role("link", name=journey.criterion, exact=True).first
    press_tab_until(page, link, without_ring)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(journey.criterion)

    visit(page, live_site.paths["criteria-explorer"])
    workstreams = page.get_by_role("group", name="Arbeitsstrang")
    checkbox = workstreams.get_by_role("checkbox").first
    press_tab_until(page, checkbox, without_ring)
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    press_tab_until(page, page.get_by_role("button", name="Filter anwenden"), without_ring)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"arbeitsstrang="))
    expect(page.get_by_role("link", name=re.compile("entfernen"))).to_have_count(1)

    search_field = page.get_by_role("search", name="Website durchsuchen").get_by_label(
        "Suchbegriff"
    )
    visit(page, "/")
    press_tab_until(page, search_field, without_ring)
    page.keyboard.type(journey.related)
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Suche")
    expect(page.get_by_role("main").get_by_role("link", name=journey.related)).not_to_have_count(0)

    assert without_ring == []
    assert_clean(page)
