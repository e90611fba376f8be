"""The editors' admin in a real browser under the strict Content Security Policy.

Every admin page an editor uses is opened in headless Chromium with the real content; the
page must not log a single CSP violation (no inline script, no inline style) or console
error, and the JavaScript the admin depends on must still work: the drag-and-drop tree of
phases, prepopulated slugs, autocomplete, adding inline rows, the Markdown preview, saving.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from phases.models import Criterion, OperatorModel, Phase, ScalingDriver
from tests.browser_helpers import visit

# live_site, browser, browser_context and page come from tests/browser.py (engineer E's
# browser plugin): real content on a live server, one Chromium, CSP violations recorded.
pytest_plugins = ["tests.browser"]

# pytest-django creates the test database only for modules that ask for it; the browser
# fixtures then refuse to touch anything but a test database (tests/browser.py).
pytestmark = pytest.mark.django_db


@dataclass
class AdminSite:
    paths: dict
    login: str
    roots: list  # titles of the top-level phases in tree order, as the change list shows them
    session: str


@pytest.fixture(scope="module")
def admin_site(live_site, django_db_blocker):
    """An editor's session and the admin paths, prepared before Chromium starts.

    All ORM work happens here, before ``browser`` starts Playwright, whose event loop would
    make Django refuse ORM calls in this thread (see tests/browser.py); the tests check
    results through the pages instead of the database.
    """
    with django_db_blocker.unblock():
        editor = get_user_model().objects.create_superuser(
            "csp-redaktion", "csp@example.org", "unused-password"
        )
        client = Client()
        client.force_login(editor)
        phase = Phase.objects.groups().filter(children__isnull=False).order_by("lft").first()
        criterion = Criterion.objects.filter(references_out__isnull=False).order_by("title").first()
        model = OperatorModel.objects.order_by("name").first()
        roots = [str(root) for root in Phase.objects.groups().order_by("tree_id")]
        admin = "admin:"
        paths = {
            "index": reverse(f"{admin}index"),
            "content-check": reverse(f"{admin}content_check"),
            "phase-tree": reverse(f"{admin}phases_phase_changelist"),
            "phase-change": reverse(f"{admin}phases_phase_change", args=[phase.pk]),
            "phase-add": reverse(f"{admin}phases_phase_add"),
            "criterion-list": reverse(f"{admin}phases_criterion_changelist")
            + "?status__exact=published",
            "criterion-change": reverse(f"{admin}phases_criterion_change", args=[criterion.pk]),
            "criterion-delete": reverse(f"{admin}phases_criterion_delete", args=[criterion.pk]),
            "criterion-history": reverse(f"{admin}phases_criterion_history", args=[criterion.pk]),
            "operator-model-change": reverse(
                f"{admin}phases_operatormodel_change", args=[model.pk]
            ),
            "driver-tree": reverse(f"{admin}phases_scalingdriver_changelist"),
            "driver-add": reverse(f"{admin}phases_scalingdriver_add"),
            "example-add": reverse(f"{admin}examples_practiceexample_add"),
            "glossary-list": reverse(f"{admin}roadmap_glossaryterm_changelist"),
            "user-list": reverse(f"{admin}auth_user_changelist"),
        }
        login = reverse(f"{admin}login")
        assert ScalingDriver.objects.exists()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return AdminSite(paths=paths, login=login, roots=roots, session=session)


@pytest.fixture(scope="module")
def editor_context(admin_site, browser_context, live_site):
    """The module's browser context, logged in with the editor's session cookie."""
    browser_context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": admin_site.session, "url": live_site.url}]
    )
    return browser_context


@pytest.fixture
def admin_page(editor_context, page):
    return page


# Admin pages link no icon, so Chromium asks for /favicon.ico once (not a CSP matter).
FAVICON_MISSING = (
    "Failed to load resource: the server responded with a status of 404 (Not Found) at /favicon.ico"
)


def problems(page):
    return page.recorder.problems(expected_errors=(FAVICON_MISSING,))


def assert_clean(page):
    assert problems(page) == {}, page.url


def root_titles(page):
    """Titles of the visible rows of the tree change list, top to bottom."""
    rows = page.locator("#result_list tbody tr:visible")
    return [title.strip() for title in rows.locator("th").all_inner_texts()]


def test_every_admin_page_renders_without_csp_violations(admin_site, admin_page):
    found = {}
    for name, path in admin_site.paths.items():
        admin_page.recorder.clear()
        visit(admin_page, path)
        expect(admin_page.locator("#content")).to_be_visible()
        found[name] = problems(admin_page)
    assert {name: items for name, items in found.items() if items} == {}


def test_login_page_renders_without_csp_violations(editor_context, admin_site, admin_page):
    cookies = editor_context.cookies()
    editor_context.clear_cookies()
    try:
        visit(admin_page, admin_site.login)
        expect(admin_page.get_by_label("Passwort")).to_be_visible()
        assert_clean(admin_page)
    finally:
        editor_context.add_cookies(cookies)


def test_phase_tree_moves_a_phase_by_drag_and_drop(admin_site, admin_page):
    visit(admin_page, admin_site.paths["phase-tree"])
    first, second = admin_site.roots[0], admin_site.roots[1]
    assert root_titles(admin_page)[:2] == [first, second]

    rows = admin_page.locator("#result_list tbody tr:visible")
    handle = rows.nth(1).locator("div.drag-handle").bounding_box()
    target = rows.nth(0).bounding_box()
    admin_page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    admin_page.mouse.down()
    # The upper third of a row means "before this row".
    admin_page.mouse.move(target["x"] + 200, target["y"] + target["height"] / 6, steps=8)
    expect(admin_page.locator("#drag-line")).to_be_visible()
    with admin_page.expect_navigation():
        admin_page.mouse.up()

    expect(admin_page.locator(".messagelist")).to_contain_text(second)
    assert root_titles(admin_page)[:2] == [second, first]
    assert_clean(admin_page)


def test_tree_rows_expand_and_collapse_without_inline_styles(admin_site, admin_page):
    visit(admin_page, admin_site.paths["phase-tree"])
    visible = admin_page.locator("#result_list tbody tr:visible")
    collapsed = visible.count()
    admin_page.get_by_role("link", name="Alles aufklappen").click()
    expect(visible).not_to_have_count(collapsed)
    admin_page.get_by_role("link", name="Alles zuklappen").click()
    expect(visible).to_have_count(collapsed)
    assert_clean(admin_page)


def test_add_form_prefills_the_slug_from_the_name(admin_site, admin_page):
    visit(admin_page, admin_site.paths["phase-add"])
    # Typed key by key: Django's prepopulate.js listens to key and change events.
    admin_page.locator("#id_name").press_sequentially("Größere Übergabe an Nachbarkommunen")
    expect(admin_page.locator("#id_slug")).to_have_value("grossere-ubergabe-an-nachbarkommunen")
    assert_clean(admin_page)


def test_autocomplete_and_new_inline_rows_work(admin_site, admin_page):
    visit(admin_page, admin_site.paths["criterion-change"])
    admin_page.locator(".field-phase .select2-selection").click()
    # Results arrive from the autocomplete view; while loading, select2 shows one placeholder.
    options = admin_page.locator(".select2-results__option")
    expect(options.nth(1)).to_be_visible()
    admin_page.keyboard.press("Escape")

    inline = admin_page.locator(".inline-group").last
    rows = inline.locator("tr.form-row:not(.empty-form)")
    before = rows.count()
    inline.locator(".add-row a").click()
    expect(rows).to_have_count(before + 1)
    assert_clean(admin_page)


def test_markdown_preview_renders_the_draft_sanitized(admin_site, admin_page):
    visit(admin_page, admin_site.paths["criterion-change"])
    field = admin_page.locator(".markdown-field").first
    field.locator("textarea").fill("## Entwurf\n\n**fett** <script>alert(1)</script>")
    field.get_by_role("button", name="Vorschau aktualisieren").click()
    output = field.locator(".markdown-preview__output")
    expect(output.locator("h2")).to_have_count(1)
    expect(output.locator("h2")).to_have_text("Entwurf")
    expect(output.locator("strong")).to_have_text("fett")
    expect(output.locator("script")).to_have_count(0)
    assert_clean(admin_page)


def test_change_form_saves_and_history_compares_versions(admin_site, admin_page):
    for summary in ["Erste Fassung der Kurzbeschreibung.", "Zweite Fassung, nun gekürzt."]:
        visit(admin_page, admin_site.paths["criterion-change"])
        admin_page.locator("#id_summary").fill(summary)
        with admin_page.expect_navigation():
            admin_page.locator("input[name=_continue]").click()
        expect(admin_page.locator(".messagelist .success")).to_be_visible()
        expect(admin_page.locator("#id_summary")).to_have_value(summary)
        assert_clean(admin_page)

    visit(admin_page, admin_site.paths["criterion-history"])
    radios = admin_page.locator("#change-history input[type=radio]")
    assert radios.count() >= 4  # two versions, two radio buttons each
    with admin_page.expect_navigation():
        admin_page.locator("#change-history input[type=submit]").click()
    expect(admin_page.locator("#content")).to_contain_text("Zweite Fassung")
    assert_clean(admin_page)
