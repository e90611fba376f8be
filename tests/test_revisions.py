"""Revision history: who changed what, comparing, restoring and recovering deleted entries."""

import pytest
import reversion
from django.apps import apps
from django.urls import reverse
from reversion.models import Version
from reversion.revisions import _get_options

from core.publishing import Status
from editorial.editorial_groups import CONTENT_MODELS
from phases.models import Criterion, CrossReference, Milestone, Phase
from tests import factories
from tests.admin_helpers import save_via_admin, submit_change_form

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:phases_criterion_{name}", args=args)


def save_and_reload(client, obj, **changes):
    save_via_admin(client, obj, **changes)
    obj.refresh_from_db()


def versions(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


@pytest.fixture
def linked_criterion(roadmap):
    """A criterion with every kind of relation it owns."""
    first = roadmap["first"]
    criterion = factories.criterion(
        first, [roadmap["economic"], roadmap["technical"]], title="Betriebskonzept"
    )
    sub_phase = factories.phase(parent=first, name="Konzept", number="")
    criterion.sub_phases.set([sub_phase])
    criterion.stakeholders.set([factories.stakeholder(), factories.stakeholder()])
    criterion.operator_models.set([factories.operator_model()])
    criterion.milestones.set([roadmap["milestone"]])
    factories.cross_reference(criterion, target_criterion=roadmap["criterion"])
    factories.cross_reference(criterion, target_phase=roadmap["second"])
    return criterion


def relations(criterion):
    return {
        "workstreams": set(criterion.workstreams.values_list("slug", flat=True)),
        "sub_phases": set(criterion.sub_phases.values_list("slug", flat=True)),
        "stakeholders": set(criterion.stakeholders.values_list("slug", flat=True)),
        "operator_models": set(criterion.operator_models.values_list("slug", flat=True)),
        "milestones": set(criterion.milestones.values_list("slug", flat=True)),
        "references": set(
            CrossReference.objects.filter(source=criterion).values_list("note", "kind")
        ),
    }


def test_every_content_model_is_under_revision_control_with_its_inlines():
    for app_label, model_name in CONTENT_MODELS:
        assert reversion.is_registered(apps.get_model(app_label, model_name)), model_name
    assert set(_get_options(Phase).follow) == {"milestones", "references_out"}
    assert set(_get_options(Criterion).follow) == {
        "criterionworkstream_set",
        "references_out",
        "former_addresses",
    }


def test_every_admin_save_records_who_changed_what(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    save_and_reload(chefredaktion, criterion, summary="Neue Kurzbeschreibung.")
    (latest,) = versions(criterion)
    assert latest.revision.user.username == "chefin"
    assert latest.field_dict["summary"] == "Neue Kurzbeschreibung."
    assert "Kurzbeschreibung" in latest.revision.get_comment()

    history = chefredaktion.get(url("history", criterion.pk)).content.decode()
    assert "chefin" in history


def test_two_versions_can_be_compared(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    save_and_reload(chefredaktion, criterion, summary="Erste Fassung.")
    save_and_reload(chefredaktion, criterion, summary="Zweite Fassung.")
    newer, older = versions(criterion)
    response = chefredaktion.get(
        url("compare", criterion.pk), {"version_id1": older.pk, "version_id2": newer.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Erste" in html and "Zweite" in html


def test_an_old_version_can_be_restored(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    save_and_reload(chefredaktion, criterion, summary="Gute Fassung.")
    save_and_reload(chefredaktion, criterion, summary="Versehentlich verschlechtert.")
    old = versions(criterion)[-1]

    revision_url = url("revision", criterion.pk, old.pk)
    page = chefredaktion.get(revision_url)
    assert "Gute Fassung." in page.content.decode()
    criterion.refresh_from_db()
    assert criterion.summary == "Versehentlich verschlechtert."  # looking changes nothing

    response = submit_change_form(chefredaktion, revision_url)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.summary == "Gute Fassung."
    assert "wiederhergestellt" in versions(criterion)[0].revision.get_comment()


def test_restoring_a_phase_keeps_milestones_added_later(chefredaktion, roadmap):
    phase = roadmap["first"]
    save_and_reload(chefredaktion, phase, teaser="Alte Fassung.")
    old = versions(phase)[0]
    later = factories.milestone(phase, title="Später ergänzt")
    save_and_reload(chefredaktion, phase, teaser="Neue Fassung.")

    revision_url = reverse("admin:phases_phase_revision", args=[phase.pk, old.pk])
    response = submit_change_form(chefredaktion, revision_url)
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.teaser == "Alte Fassung."
    assert Milestone.objects.filter(pk=later.pk).exists()


def test_a_deleted_criterion_comes_back_with_all_its_relations(chefredaktion, linked_criterion):
    before = relations(linked_criterion)
    pk = linked_criterion.pk
    assert chefredaktion.post(url("delete", pk), {"post": "yes"}).status_code == 302
    assert not Criterion.objects.filter(pk=pk).exists()
    assert not CrossReference.objects.filter(source_id=pk).exists()

    recover_list = chefredaktion.get(url("recoverlist")).content.decode()
    assert "Betriebskonzept" in recover_list
    deleted = Version.objects.get_deleted(Criterion).get(object_id=str(pk))
    recover_url = url("recover", deleted.pk)
    response = submit_change_form(chefredaktion, recover_url)

    assert response.status_code == 302
    recovered = Criterion.objects.get(pk=pk)
    assert relations(recovered) == before
    assert all(before.values())  # the round trip really covered every relation


def test_bulk_actions_create_one_revision_per_entry(chefredaktion, roadmap):
    first = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    second = factories.criterion(roadmap["first"], [roadmap["economic"]], status=Status.DRAFT)
    chefredaktion.post(
        url("changelist"), {"action": "publish", "_selected_action": [first.pk, second.pk]}
    )
    for criterion in (first, second):
        criterion.refresh_from_db()
        assert criterion.status == Status.PUBLISHED
        (version,) = versions(criterion)
        assert version.revision.get_comment() == "Veröffentlicht."
        criteria_in_revision = version.revision.version_set.filter(
            content_type=version.content_type
        )
        assert [v.object_id for v in criteria_in_revision] == [str(criterion.pk)]


def test_recovering_one_of_several_bulk_deleted_entries_leaves_the_others_deleted(
    chefredaktion, roadmap
):
    first = factories.criterion(roadmap["first"], [roadmap["economic"]], title="Erstes")
    second = factories.criterion(roadmap["first"], [roadmap["economic"]], title="Zweites")
    chefredaktion.post(
        url("changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert not Criterion.objects.filter(pk__in=[first.pk, second.pk]).exists()
    deleted = Version.objects.get_deleted(Criterion).get(object_id=str(first.pk))
    recover_url = url("recover", deleted.pk)
    response = submit_change_form(chefredaktion, recover_url)
    assert response.status_code == 302
    assert list(Criterion.objects.filter(title__in=["Erstes", "Zweites"])) == [
        Criterion.objects.get(pk=first.pk)
    ]


def test_redaktion_cannot_publish_by_restoring_a_published_version(
    chefredaktion, redaktion, roadmap
):
    criterion = roadmap["criterion"]
    save_and_reload(chefredaktion, criterion, summary="Veröffentlichte Fassung.")
    published = versions(criterion)[0]
    save_and_reload(chefredaktion, criterion, summary="Zurückgezogen.", status="draft")

    revision_url = url("revision", criterion.pk, published.pk)
    response = submit_change_form(redaktion, revision_url)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.summary == "Veröffentlichte Fassung."
    assert criterion.status == Status.DRAFT


def test_entries_recovered_by_redaktion_come_back_as_drafts(chefredaktion, redaktion, roadmap):
    criterion = factories.criterion(roadmap["first"], [roadmap["economic"]], title="Gelöscht")
    assert criterion.status == Status.PUBLISHED
    chefredaktion.post(url("delete", criterion.pk), {"post": "yes"})
    deleted = Version.objects.get_deleted(Criterion).get(object_id=str(criterion.pk))
    recover_url = url("recover", deleted.pk)
    assert submit_change_form(redaktion, recover_url).status_code == 302
    assert Criterion.objects.get(pk=criterion.pk).status == Status.DRAFT
