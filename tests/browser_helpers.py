"""Helpers for the browser tests: page types, what a page recorded, visits and screenshots.

The fixtures themselves live in tests/browser.py, which the test modules load as a pytest
plugin (``pytest_plugins``), so this module holds everything the tests import by name.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

HOST = "127.0.0.1"
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
SCREENSHOT_DIR = settings.BASE_DIR / "test-artifacts" / "screenshots"
SCREENSHOT_MAX_HEIGHT = 2400  # the top of a page shows its look; full long pages cost seconds

# Every public page type; test_accessibility.py checks each one, test_browser.py shows each
# one at 320 px. Names are stable: they name the screenshots that CI keeps.
PAGE_TYPES = (
    "start",
    "introduction",
    "overview",
    "phase",
    "criteria-explorer",
    "criteria-explorer-filtered",
    "criteria-explorer-empty",
    "criterion",
    "operator-models",
    "operator-model",
    "examples",
    "example",
    "resources",
    "glossary",
    "search",
    "search-empty",
    "information-page",
    "not-found",
    "selfcheck",
    "selfcheck-result",
    "fahrplan",
    "open-data",
)

NOT_FOUND_PATH = "/diese-seite-gibt-es-nicht/"
# Chromium logs a console error for every 404 response, also for the one we ask for.
NOT_FOUND_ERROR = (
    "Failed to load resource: the server responded with a status of 404 (Not Found)"
    f" at {NOT_FOUND_PATH}"
)


# axe-core with the WCAG 2.1 A and AA rules: the level every page is checked against.
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
AXE = Axe()

# Finds what sticks out to the right, to name the culprit when a page scrolls sideways; an
# empty list when nothing does.
OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(-5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
      + ": " + (el.textContent || "").trim().slice(0, 40));
}"""


def axe_violations(page):
    """How many WCAG 2.1 A/AA violations axe finds on the page, and its readable report."""
    results = AXE.run(page, options=WCAG_21_AA)
    return results.violations_count, results.generate_report()


@dataclass
class Recorder:
    """What a page did: request URLs, console errors and uncaught exceptions, CSP violations."""

    requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    csp: list = field(default_factory=list)

    def attach(self, page):
        page.recorder = self
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def console(self, message):
        if message.type == "error":
            where = urlsplit(message.location.get("url", ""))
            self.errors.append(f"{message.text} at {where.path}" if where.path else message.text)

    def problems(self, expected_errors=()):
        """Everything that should not have happened, by kind; empty when all is well."""
        found = {
            "requests to other hosts": [
                url
                for url in self.requests
                if not url.startswith("data:") and urlsplit(url).hostname != HOST
            ],
            "console errors": [text for text in self.errors if text not in expected_errors],
            "CSP violations": self.csp,
        }
        return {kind: items for kind, items in found.items() if items}

    def clear(self):
        self.requests.clear()
        self.errors.clear()
        self.csp.clear()


def new_page(context):
    """A tab whose requests, console errors and CSP violations land in ``page.recorder``."""
    return Recorder().attach(context.new_page())


def visit(page, path, expected_status=200):
    """Open a path and assert the HTTP status."""
    response = page.goto(path, wait_until="load")
    assert response.status == expected_status, path
    return response


def expected_status(page_type):
    return 404 if page_type == "not-found" else 200


def expected_errors(page_type):
    return (NOT_FOUND_ERROR,) if page_type == "not-found" else ()


def screenshot(page, page_type):
    """Screenshot of the top of the page, with a stable name per page type and width."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
    page.screenshot(
        path=SCREENSHOT_DIR / f"{page_type}-{width}px.png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )
