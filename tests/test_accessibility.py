"""axe-core with the WCAG 2.1 A and AA rules on every public page type, real content.

Each page type is checked at desktop width and written as a screenshot to
test-artifacts/screenshots/ (kept by CI) so reviewers can see what was checked.
"""

import pytest

from tests.browser_helpers import (
    AXE,
    PAGE_TYPES,
    WCAG_21_AA,
    axe_violations,
    expected_status,
    screenshot,
    visit,
)

# The fixtures (live_site, browser, browser_context, page) come from tests/browser.py.
pytest_plugins = ["tests.browser"]
# Makes pytest-django create the test database; the content is loaded once per module.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_wcag_21_aa_violations(live_site, page, page_type):
    visit(page, live_site.paths[page_type], expected_status(page_type))
    screenshot(page, page_type)
    count, report = axe_violations(page)
    assert count == 0, report


def test_axe_reports_an_image_without_alt_text_so_a_clean_result_means_something(live_site, page):
    visit(page, live_site.paths["start"])
    page.eval_on_selector("main", "main => main.append(document.createElement('img'))")
    results = AXE.run(page, options=WCAG_21_AA)
    assert [violation["id"] for violation in results.response["violations"]] == ["image-alt"]
