"""The editors' review journey in a real browser (Debian Chromium), with the real content.

Redaktion edits a published criterion and a practice example; the public pages stay as they
are. Chefredaktion reads the diff and approves the criterion, the public page changes, the
history shows the original, and restoring the original works. The example's change is
rejected, and its author sees the note. axe (WCAG 2.1 A/AA) checks the pending-changes list
and the diff page.

The journey runs once per module (its steps depend on each other) in a fixture that records
what it saw; each test asserts one part of it.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from editorial.editorial_groups import CHEFREDAKTION, REDAKTION
from examples.models import PracticeExample
from phases.models import Criterion
from tests.admin_helpers import editorial_group
from tests.browser_helpers import DESKTOP, HOST, axe_violations, new_page, screenshot, visit

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.django_db

PROPOSED = "Die Redaktion schlägt diese neue Kurzbeschreibung vor."
DIRECT = "Von der Chefredaktion direkt nachgebessert."
NOTE = "Bitte mit einer Quelle belegen."


def session_context(browser, live_site, user):
    """A browser context logged in as ``user`` (session cookie, no password hashing)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_site.url, locale="de-DE", viewport=DESKTOP)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_site.url}])
    return context


def save_field(page, path, field, text):
    visit(page, path)
    page.fill(f"#id_{field}", text)
    page.click('input[name="_save"]')
    page.wait_for_load_state("load")
    return page.locator("ul.messagelist").inner_text()


def public_text(page, path):
    visit(page, path)
    return page.locator("main").inner_text()


@pytest.fixture(scope="module")
def journey(live_site, browser, django_db_blocker):
    seen = {}
    with django_db_blocker.unblock():
        users = get_user_model().objects
        author = users.create_user("redakteurin", is_staff=True, first_name="Rita")
        author.groups.add(editorial_group(REDAKTION))
        chief = users.create_user("chefin", is_staff=True, first_name="Clara")
        chief.groups.add(editorial_group(CHEFREDAKTION))
        criterion = Criterion.objects.published().order_by("pk").first()
        example = PracticeExample.objects.published().order_by("pk").first()
        original = criterion.summary
    admin_path = lambda obj, view="change": reverse(  # noqa: E731
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk]
    )
    visitor_context = browser.new_context(base_url=live_site.url, locale="de-DE")
    author_context = session_context(browser, live_site, author)
    chief_context = session_context(browser, live_site, chief)
    contexts = (visitor_context, author_context, chief_context)
    visitor, writer, reviewer = (new_page(context) for context in contexts)
    try:
        seen["saved message"] = save_field(writer, admin_path(criterion), "summary", PROPOSED)
        save_field(writer, admin_path(example), "summary", "Eine Änderung ohne Beleg.")
        seen["public before"] = public_text(visitor, criterion.get_absolute_url())

        visit(reviewer, reverse("admin:review_list"))
        seen["pending list"] = reviewer.locator("#content-main").inner_text()
        seen["pending list axe"] = axe_violations(reviewer)
        screenshot(reviewer, "admin-pending-changes")
        reviewer.get_by_role("link", name=f"Prüfen – {criterion.title}").click()
        reviewer.wait_for_load_state("load")
        seen["diff"] = reviewer.locator(".review__diff").inner_text()
        seen["diff fields"] = reviewer.locator(".review__diff h3").all_inner_texts()
        seen["diff axe"] = axe_violations(reviewer)
        screenshot(reviewer, "admin-pending-change-diff")
        reviewer.get_by_role("button", name="Freigeben und veröffentlichen").click()
        reviewer.wait_for_load_state("load")
        seen["approved message"] = reviewer.locator("ul.messagelist").inner_text()
        seen["public after"] = public_text(visitor, criterion.get_absolute_url())

        save_field(reviewer, admin_path(criterion), "summary", DIRECT)
        visit(reviewer, admin_path(criterion, "history"))
        rows = reviewer.locator("#change-history tbody tr")
        seen["history"] = [rows.nth(i).inner_text() for i in range(rows.count())]
        rows.last.locator("th a").click()  # the oldest: the original
        reviewer.wait_for_load_state("load")
        reviewer.click('input[name="_save"]')
        reviewer.wait_for_load_state("load")
        seen["public restored"] = public_text(visitor, criterion.get_absolute_url())

        visit(reviewer, reverse("admin:review_list"))
        reviewer.get_by_role("link", name=f"Prüfen – {example.title}").click()
        reviewer.wait_for_load_state("load")
        reviewer.fill("#id_anmerkung", NOTE)
        reviewer.get_by_role("button", name="Ablehnen").click()
        reviewer.wait_for_load_state("load")
        visit(writer, admin_path(example))
        seen["author sees"] = writer.locator("ul.messagelist").inner_text()
        seen["public example"] = public_text(visitor, example.get_absolute_url())
        seen["problems"] = {
            name: page.recorder.problems()
            for name, page in (("visitor", visitor), ("author", writer), ("chief", reviewer))
        }
    finally:
        for context in contexts:
            context.close()
    seen["original"] = original
    return seen


def test_redaktion_edit_of_a_published_criterion_waits_for_review(journey):
    assert "wartet jetzt auf Freigabe" in journey["saved message"]
    assert journey["original"] in journey["public before"]
    assert PROPOSED not in journey["public before"]


def test_chefredaktion_sees_both_pending_changes_and_reads_the_diff(journey):
    assert journey["pending list"].count("Prüfen") == 2
    assert journey["diff fields"] == ["Kurzbeschreibung"]  # only what the editor changed
    assert "neue Kurzbeschreibung" in journey["diff"]


def test_approving_puts_the_change_on_the_public_page(journey):
    assert "freigegeben" in journey["approved message"]
    assert PROPOSED in journey["public after"]


def test_history_shows_three_versions_including_the_original(journey):
    history = journey["history"]
    assert len(history) == 3
    assert "Ausgangsfassung" in history[-1]
    assert "freigegeben von Clara" in history[1]


def test_restoring_the_original_works(journey):
    assert journey["original"] in journey["public restored"]
    assert DIRECT not in journey["public restored"]


def test_a_rejected_change_shows_its_note_to_the_author_and_never_went_live(journey):
    assert NOTE in journey["author sees"]
    assert "Eine Änderung ohne Beleg." not in journey["public example"]


def test_pending_list_and_diff_page_have_no_wcag_21_aa_violations(journey):
    for key in ("pending list axe", "diff axe"):
        count, report = journey[key]
        assert count == 0, report


def test_journey_stayed_on_the_host_without_console_errors(journey):
    assert HOST
    assert {name: found for name, found in journey["problems"].items() if found} == {}
