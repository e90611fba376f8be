"""Fixtures for the browser tests, loaded as a pytest plugin by test_browser.py and
test_accessibility.py (``pytest_plugins = ["tests.browser"]``); helpers they import by name
are in tests/browser_helpers.py.

The real German content runs on a live server on 127.0.0.1, one headless Debian Chromium
serves a whole test module, and every page records its requests, console errors and
Content-Security-Policy violations.

Two decisions worth knowing:

* Database. The content is loaded once per module and COMMITTED, because on PostgreSQL the
  server thread has its own connection and cannot see rows of an open test transaction.
  pytest-django's session-wide ``live_server`` fixture cannot be used here: every test that
  requests it becomes a ``transactional_db`` test whose teardown flushes the database, so the
  content would have to be reloaded (2–3 s) for every test. We start the same server class
  (``pytest_django.live_server_helper.LiveServer``, which also shares an in-memory SQLite
  connection with the server thread and serves static files) for the module instead.
  Afterwards the database is put back as it was: flushed, then reloaded from a snapshot
  taken before (what TransactionTestCase does with ``serialized_rollback``), so later
  modules find exactly what the migrations left, e.g. the editorial groups.

* Playwright and the ORM. Playwright's sync API keeps its asyncio event loop in the test
  thread (idle while test code runs). Django's guard against blocking ORM calls from async
  code sees that loop and raises SynchronousOnlyOperation, e.g. when pytest-django opens the
  per-test transaction of a ``django_db`` test. No coroutine ever touches the database here,
  so the guard's alarm is false: ``browser`` sets DJANGO_ALLOW_ASYNC_UNSAFE only while
  Chromium runs and removes it afterwards. The content itself is loaded and looked up before
  Playwright starts and flushed after it has stopped, with the guard fully active. The live
  server answers requests in its own threads, which have no event loop at all.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.test.utils import modify_settings
from django.urls import reverse
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from examples.models import PracticeExample
from phases.models import Criterion, CrossReference, OperatorModel, Phase, Workstream
from selfcheck.assessment import ANSWER_PARAM
from selfcheck.models import Fahrplan
from tests.browser_helpers import DESKTOP, HOST, NOT_FOUND_PATH, PAGE_TYPES, new_page
from tests.live_server_helpers import assert_test_database, clear_caches, restore_database
from workspace.content import load_content

LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",  # Debian's package; Playwright's download is off
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-gpu",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}

# Reports every CSP violation of every document to Python (see ``browser_context``); Chromium
# also logs them to the console, this names the directive and the blocked source.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@dataclass
class Journey:
    """Titles a newcomer follows: phase → criterion → related criterion → example."""

    phase: str
    phase_path: str
    criterion: str
    related: str
    example: str


@dataclass
class LiveSite:
    """The server's address, one path per page type and the newcomer's journey."""

    url: str
    paths: dict
    journey: Journey


def explorer_filters():
    """Query strings for the explorer: one combination with hits, one without."""
    explorer = reverse("phases:criterion-list")
    criteria = Criterion.objects.published()
    combinations = [
        (phase, workstream)
        for phase in Phase.objects.published().groups()
        for workstream in Workstream.objects.published()
    ]
    with_hits = next(
        f"{explorer}?phase={p.slug}&arbeitsstrang={w.slug}"
        for p, w in combinations
        if criteria.filter(phase=p, workstreams=w).exists()
    )
    empty = next(
        f"{explorer}?phase={p.slug}&arbeitsstrang={w.slug}&transfer=ja"
        for p, w in combinations
        if not criteria.filter(phase=p, workstreams=w, transfer_relevant=True).exists()
    )
    return with_hits, empty


def newcomer_journey():
    """Follows the first visible criterion → criterion reference whose target has an example."""
    reference = (
        CrossReference.objects.visible()
        .filter(
            target_criterion__isnull=False,
            source__phase__parent__isnull=True,
            source__phase__number__startswith="P",
            target_criterion__examples__in=PracticeExample.objects.published(),
        )
        .order_by("source__phase__tree_id", "source__phase__lft", "source__title", "pk")
        .first()
    )
    criterion, related = reference.source, reference.target_criterion
    example = related.examples.published().order_by("title").first()
    return Journey(
        phase=criterion.phase.name,
        phase_path=criterion.phase.get_absolute_url(),
        criterion=criterion.title,
        related=related.title,
        example=example.title,
    )


def selfcheck_result_path():
    """The result for a municipality that reached every milestone of the first phase."""
    first_phase = Phase.objects.published().groups().filter(is_cross_phase=False).first()
    answers = urlencode(
        [
            (ANSWER_PARAM, slug)
            for slug in first_phase.milestones.published().values_list("slug", flat=True)
        ]
    )
    return f"{reverse('selfcheck:result')}?{answers}"


def public_paths():
    """One path of every public page type, chosen from the real content."""
    richest_criterion = (
        Criterion.objects.published()
        .annotate(references=Count("references_out"))
        .order_by("-references", "title")
        .first()
    )
    richest_phase = (
        Phase.objects.published()
        .groups()
        .annotate(references=Count("references_out"))
        .order_by("-references", "lft")
        .first()
    )
    filtered, empty = explorer_filters()
    paths = {
        "start": reverse("home"),
        "introduction": reverse("introduction"),
        "overview": reverse("phases:overview"),
        "phase": richest_phase.get_absolute_url(),
        "criteria-explorer": reverse("phases:criterion-list"),
        "criteria-explorer-filtered": filtered,
        "criteria-explorer-empty": empty,
        "criterion": richest_criterion.get_absolute_url(),
        "operator-models": reverse("phases:operator-model-list"),
        "operator-model": OperatorModel.objects.published().first().get_absolute_url(),
        "examples": reverse("examples:example-list"),
        "example": PracticeExample.objects.published().first().get_absolute_url(),
        "resources": reverse("examples:resource-list"),
        "glossary": reverse("glossary"),
        "search": f"{reverse('search')}?q=Betreibermodell",
        "search-empty": f"{reverse('search')}?q=Quastenflosser",
        "information-page": reverse("page", kwargs={"slug": "impressum"}),
        "not-found": NOT_FOUND_PATH,
        "selfcheck": reverse("selfcheck:selfcheck"),
        "selfcheck-result": selfcheck_result_path(),
        "fahrplan": reverse("selfcheck:fahrplan", args=[Fahrplan.create_with_token()[1]]),
        "open-data": reverse("opendata:index"),
    }
    assert set(paths) == set(PAGE_TYPES)
    return paths


@pytest.fixture(scope="module")
def live_site(django_db_setup, django_db_blocker):
    """The real content on a live server for one module; afterwards the database is as before."""
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": HOST}):
        assert_test_database()
        snapshot = connection.creation.serialize_db_to_string()
        load_content()
        journey = newcomer_journey()
        paths = public_paths()
        clear_caches()
        server = LiveServer(HOST)
        try:
            yield LiveSite(url=server.url, paths=paths, journey=journey)
        finally:
            server.stop()
            restore_database(snapshot)
            clear_caches()


@pytest.fixture(scope="module")
def browser(live_site):
    """One headless Chromium per module, started after the content is in place."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # See the module docstring: the idle Playwright loop is no async caller of the ORM.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(**LAUNCH_OPTIONS)
        yield chromium
        chromium.close()
        # Test code between Playwright calls runs in a contextvars context that Playwright's
        # loop copied, and Django keeps connections per context: the tests got a connection
        # of their own. Close it here, or PostgreSQL refuses to drop the test database.
        connections.close_all()


@pytest.fixture(scope="module")
def browser_context(browser, live_site):
    """One context per module, so the HTTP cache keeps CSS and fonts between pages.

    No route handler guards other hosts: routing switches Chromium's cache off. The site's
    CSP already refuses every foreign subresource, and the recorder turns any attempt (a
    request event or a CSP console error) into a test failure.
    """
    context = browser.new_context(
        base_url=live_site.url, locale="de-DE", viewport=DESKTOP, service_workers="block"
    )
    context.expose_binding(
        "reportCspViolation", lambda source, text: source["page"].recorder.csp.append(text)
    )
    context.add_init_script(CSP_LISTENER)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    """A fresh tab in the module's context, recording into ``page.recorder``."""
    tab = new_page(browser_context)
    yield tab
    tab.close()
