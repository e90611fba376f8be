"""Review before live: pending changes of published content, approving, rejecting."""

import json

import pytest
from django.urls import reverse
from reversion.models import Version

from core.publishing import Status
from editorial.models import PendingChange
from phases.models import Criterion, CrossReference
from tests import factories
from tests.admin_helpers import change_form_data, change_url, save_via_admin, submit_change_form

pytestmark = pytest.mark.django_db


def review_url(pending):
    return reverse("admin:review_change", args=[pending.pk])


def review_page(client, pending):
    response = client.get(review_url(pending))
    assert response.status_code == 200
    return response


def approve(client, pending, **extra):
    page = review_page(client, pending)
    data = {"aktion": "freigeben", "live_stand": page.context["live_token"], **extra}
    return client.post(review_url(pending), data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def pending(redaktion, roadmap):
    save_via_admin(redaktion, roadmap["criterion"], summary="Vorgeschlagene Kurzbeschreibung.")
    return PendingChange.objects.get()


def test_redaktion_edit_of_a_published_criterion_waits_and_the_public_page_is_unchanged(
    redaktion, client, roadmap
):
    criterion = roadmap["criterion"]
    before = criterion.summary
    response = save_via_admin(redaktion, criterion, summary="Vorgeschlagene Kurzbeschreibung.")
    criterion.refresh_from_db()
    assert criterion.summary == before
    assert before in client.get(criterion.get_absolute_url()).content.decode()
    followed = redaktion.get(response.url)
    assert any("wartet jetzt auf Freigabe" in text for text in messages_of(followed))
    pending = PendingChange.objects.get()
    assert pending.state == PendingChange.State.PENDING
    assert pending.author.username == "redakteur"
    assert pending.base_updated_at == criterion.updated_at


def test_redaktion_changes_to_links_and_inlines_also_wait(redaktion, roadmap):
    criterion = roadmap["criterion"]
    url = change_url(criterion)
    data = change_form_data(redaktion, url, milestones=[str(roadmap["milestone"].pk)])
    data.update(
        {
            "references_out-TOTAL_FORMS": ["1"],
            "references_out-0-kind": ["related"],
            "references_out-0-note": ["Gehört zusammen."],
            "references_out-0-target_phase": [str(roadmap["second"].pk)],
        }
    )
    assert redaktion.post(url, data).status_code == 302
    assert not criterion.milestones.exists()
    assert not CrossReference.objects.exists()
    assert PendingChange.objects.open().count() == 1


def test_approving_applies_links_and_inlines_and_removes_deleted_inline_rows(
    redaktion, chefredaktion, roadmap
):
    criterion = roadmap["criterion"]
    old_reference = factories.cross_reference(criterion, target_phase=roadmap["second"])
    url = change_url(criterion)
    data = change_form_data(redaktion, url, milestones=[str(roadmap["milestone"].pk)])
    data["references_out-0-DELETE"] = ["on"]
    data.update(
        {
            "references_out-TOTAL_FORMS": ["2"],
            "references_out-1-kind": ["related"],
            "references_out-1-note": ["Neu verknüpft."],
            "references_out-1-target_milestone": [str(roadmap["milestone"].pk)],
        }
    )
    assert redaktion.post(url, data).status_code == 302
    assert CrossReference.objects.filter(pk=old_reference.pk).exists()
    approve(chefredaktion, PendingChange.objects.get())
    assert list(criterion.milestones.all()) == [roadmap["milestone"]]
    assert list(CrossReference.objects.values_list("note", flat=True)) == ["Neu verknüpft."]


def test_the_author_keeps_editing_the_pending_change(redaktion, roadmap, pending):
    criterion = roadmap["criterion"]
    form = redaktion.get(change_url(criterion))
    assert "Vorgeschlagene Kurzbeschreibung." in form.content.decode()
    save_via_admin(redaktion, criterion, summary="Noch besser formuliert.")
    pending.refresh_from_db()
    assert PendingChange.objects.count() == 1
    assert "Noch besser formuliert." in str(pending.versions)
    criterion.refresh_from_db()
    assert criterion.summary != "Noch besser formuliert."


def test_publisher_sees_pending_change_in_list_filter_and_dashboard(chefredaktion, pending):
    listing = chefredaktion.get(reverse("admin:review_list")).content.decode()
    assert pending.object_repr in listing and "Prüfen" in listing
    filtered = chefredaktion.get(
        reverse("admin:phases_criterion_changelist"), {"freigabe": "wartet"}
    )
    assert [c.pk for c in filtered.context["cl"].result_list] == [int(pending.object_id)]
    none = chefredaktion.get(reverse("admin:phases_criterion_changelist"), {"freigabe": "keine"})
    assert list(none.context["cl"].result_list) == []
    index = chefredaktion.get(reverse("admin:index")).content.decode()
    assert "Änderungen zur Freigabe</a>: 1 offen" in index


def test_review_page_shows_the_diff_of_live_and_pending(chefredaktion, pending, roadmap):
    page = review_page(chefredaktion, pending)
    assert [entry["label"] for entry in page.context["diff"]] == ["Kurzbeschreibung"]
    html = page.content.decode()
    assert "<ins>Vorgeschlagene" in html and "<del>" in html
    assert "Freigeben und veröffentlichen" in html


def test_approving_puts_the_change_live_as_one_revision_naming_both(
    chefredaktion, client, pending, roadmap
):
    criterion = roadmap["criterion"]
    response = approve(chefredaktion, pending, inhaltlich_geprueft="1")
    assert any("freigegeben" in text for text in messages_of(response))
    criterion.refresh_from_db()
    assert criterion.summary == "Vorgeschlagene Kurzbeschreibung."
    assert "Vorgeschlagene" in client.get(criterion.get_absolute_url()).content.decode()
    latest = Version.objects.get_for_object(criterion).first().revision
    assert latest.comment == "Änderung von redakteur freigegeben von Clara."
    assert latest.user.username == "chefin"
    assert criterion.last_reviewed_by.username == "chefin"
    assert criterion.next_review_due.year == criterion.last_reviewed_at.year + 1
    pending.refresh_from_db()
    assert pending.state == PendingChange.State.APPROVED


def test_approving_twice_changes_nothing_the_second_time(chefredaktion, pending, roadmap):
    page = review_page(chefredaktion, pending)
    data = {"aktion": "freigeben", "live_stand": page.context["live_token"]}
    chefredaktion.post(review_url(pending), data)
    criterion = Criterion.objects.get()
    revisions = Version.objects.get_for_object(criterion).count()
    second = chefredaktion.post(review_url(pending), data, follow=True)
    assert any("bereits freigegeben" in text for text in messages_of(second))
    assert Version.objects.get_for_object(criterion).count() == revisions


def test_a_stale_change_needs_explicit_confirmation_and_shows_the_current_diff(
    chefredaktion, pending, roadmap
):
    criterion = roadmap["criterion"]
    save_via_admin(chefredaktion, criterion, title="Direkt geänderter Titel")
    page = review_page(chefredaktion, pending)
    assert page.context["stale"]
    labels = [entry["label"] for entry in page.context["diff"]]
    assert labels == ["Titel", "Kurzbeschreibung"]  # against current live: the title goes back
    refused = approve(chefredaktion, pending)
    assert any("nachdem diese Änderung begonnen wurde" in t for t in messages_of(refused))
    criterion.refresh_from_db()
    assert criterion.summary != "Vorgeschlagene Kurzbeschreibung."
    approve(chefredaktion, pending, veraltet_bestaetigt="1")
    criterion.refresh_from_db()
    assert criterion.summary == "Vorgeschlagene Kurzbeschreibung."


def test_approving_with_an_outdated_page_is_refused(chefredaktion, pending, roadmap):
    page = review_page(chefredaktion, pending)
    Criterion.objects.get().save()  # live changes after the page was opened
    data = {"aktion": "freigeben", "live_stand": page.context["live_token"]}
    response = chefredaktion.post(review_url(pending), data)
    assert response.status_code == 200
    assert any("während Sie diese Seite geöffnet" in t for t in messages_of(response))
    pending.refresh_from_db()
    assert pending.is_open


def test_rejecting_needs_a_note_and_the_author_sees_it(chefredaktion, redaktion, pending, roadmap):
    empty = chefredaktion.post(review_url(pending), {"aktion": "ablehnen"}, follow=True)
    assert any("begründen" in text for text in messages_of(empty))
    pending.refresh_from_db()
    assert pending.is_open
    chefredaktion.post(review_url(pending), {"aktion": "ablehnen", "anmerkung": "Zu vage."})
    pending.refresh_from_db()
    assert pending.state == PendingChange.State.REJECTED
    form = redaktion.get(change_url(roadmap["criterion"]))
    assert any("Zu vage." in text for text in messages_of(form))
    assert "Zu vage." in redaktion.get(reverse("admin:review_list")).content.decode()


def test_redaktion_posting_the_approve_url_changes_nothing(redaktion, pending, roadmap):
    response = redaktion.post(
        review_url(pending), {"aktion": "freigeben", "live_stand": "x"}, follow=True
    )
    assert any("nicht freigeben" in text for text in messages_of(response))
    pending.refresh_from_db()
    assert pending.is_open
    criterion = Criterion.objects.get(pk=roadmap["criterion"].pk)
    assert criterion.summary != "Vorgeschlagene Kurzbeschreibung."


def test_a_change_of_a_deleted_entry_cannot_be_approved_but_keeps_its_text(
    chefredaktion, pending, roadmap
):
    Criterion.objects.filter(pk=roadmap["criterion"].pk).delete()
    page = review_page(chefredaktion, pending)
    assert "inzwischen gelöscht" in page.content.decode()
    response = chefredaktion.post(review_url(pending), {"aktion": "freigeben"}, follow=True)
    assert any("gelöscht" in text for text in messages_of(response))
    pending.refresh_from_db()
    assert pending.is_open and "Vorgeschlagene" in str(pending.versions)


def test_unknown_review_ids_are_not_found(chefredaktion):
    assert chefredaktion.get("/admin/freigaben/999999/").status_code == 404


def test_publisher_edits_go_live_directly(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    save_via_admin(chefredaktion, criterion, summary="Direkt veröffentlicht.")
    criterion.refresh_from_db()
    assert criterion.summary == "Direkt veröffentlicht."
    assert not PendingChange.objects.exists()


def test_redaktion_edits_of_drafts_are_saved_directly(redaktion, roadmap):
    draft = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    save_via_admin(redaktion, draft, summary="Entwurf verbessert.")
    draft.refresh_from_db()
    assert draft.summary == "Entwurf verbessert."
    assert not PendingChange.objects.exists()


def test_deleting_a_published_item_needs_the_publish_permission(redaktion, roadmap):
    example = factories.example(roadmap["first"])
    url = reverse("admin:examples_practiceexample_delete", args=[example.pk])
    assert redaktion.post(url, {"post": "yes"}).status_code == 403
    assert type(example).objects.filter(pk=example.pk).exists()
    draft = factories.example(roadmap["first"], status=Status.DRAFT)
    url = reverse("admin:examples_practiceexample_delete", args=[draft.pk])
    assert redaktion.post(url, {"post": "yes"}).status_code == 302


def test_editors_preview_the_pending_change_at_the_public_url(redaktion, client, pending, roadmap):
    url = f"{roadmap['criterion'].get_absolute_url()}?aenderung={pending.pk}"
    response = redaktion.get(url)
    html = response.content.decode()
    assert "Vorgeschlagene Kurzbeschreibung." in html
    assert "Vorschau einer Änderung zur Freigabe" in html
    assert "no-store" in response["Cache-Control"]
    anonymous = client.get(url).content.decode()
    assert "Vorgeschlagene" not in anonymous and "Vorschau einer Änderung" not in anonymous
    assert Criterion.objects.get().summary != "Vorgeschlagene Kurzbeschreibung."


def test_pending_changes_never_reach_search_open_data_or_api(client, pending):
    search = client.get("/suche/", {"q": "Vorgeschlagene"}).content.decode()
    assert pending.object_repr not in search
    for url in (
        reverse("opendata:json"),
        reverse("opendata:csv", args=["kriterien"]),
        "/api/v1/criteria/",
        "/sitemap.xml",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        assert pending.object_repr.encode() in body or url == "/sitemap.xml", url
        assert b"Vorgeschlagene" not in body, url


def test_restoring_an_old_version_as_redaktion_also_waits_for_review(
    chefredaktion, redaktion, roadmap
):
    criterion = roadmap["criterion"]
    save_via_admin(chefredaktion, criterion, summary="Alte gute Fassung.")
    old = Version.objects.get_for_object(criterion).first()
    save_via_admin(chefredaktion, criterion, summary="Neue Fassung.")
    url = reverse("admin:phases_criterion_revision", args=[criterion.pk, old.pk])
    response = submit_change_form(redaktion, url)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.summary == "Neue Fassung."
    assert "Alte gute Fassung." in str(PendingChange.objects.get().versions)


def test_redaktion_is_told_before_editing_that_published_entries_wait_for_review(
    redaktion, roadmap
):
    form = redaktion.get(change_url(roadmap["criterion"]))
    assert any("erst nach der Freigabe" in text for text in messages_of(form))


def test_review_list_and_diff_page_need_few_queries(
    chefredaktion, pending, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        chefredaktion.get(reverse("admin:review_list"))
    # The diff writes two temporary revisions and lets reversion-compare read them (rolled
    # back); the count depends on the entry's fields and relations, not on the content size.
    for _ in range(5):
        factories.criterion(Criterion.objects.order_by("pk").first().phase)
    with django_assert_max_num_queries(95):
        review_page(chefredaktion, pending)


def test_a_hostile_rejection_note_is_shown_as_text(chefredaktion, redaktion, pending, roadmap):
    note = "<script>alert(1)</script>"
    chefredaktion.post(review_url(pending), {"aktion": "ablehnen", "anmerkung": note})
    for url in (change_url(roadmap["criterion"]), review_url(pending), "/admin/freigaben/"):
        html = redaktion.get(url).content.decode()
        assert note not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_texts_are_stored_with_unix_line_ends_as_browsers_send_crlf(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    save_via_admin(
        chefredaktion, criterion, body="## Worum es geht\r\n\r\nErste Zeile.\r\nZweite Zeile."
    )
    criterion.refresh_from_db()
    assert criterion.body == "## Worum es geht\n\nErste Zeile.\nZweite Zeile."
    latest = Version.objects.get_for_object(criterion).first()
    assert "\r" not in latest.field_dict["body"]


def test_a_text_resubmitted_with_crlf_only_is_no_change_in_the_pending_diff(redaktion, roadmap):
    criterion = roadmap["criterion"]
    Criterion.objects.filter(pk=criterion.pk).update(body="Erste Zeile.\nZweite Zeile.")
    save_via_admin(redaktion, criterion, body="Erste Zeile.\r\nZweite Zeile.", summary="Neu.")
    versions = PendingChange.objects.get().versions
    [stored] = [v for v in versions if v["content_type"] == ["phases", "criterion"]]
    fields = json.loads(stored["serialized_data"])[0]["fields"]
    assert fields["body"] == "Erste Zeile.\nZweite Zeile."
    assert fields["summary"] == "Neu."
