"""Visitors' Fahrplan entries outlive editorial deletes and come back with the content."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from reversion.models import Version

from editorial.editorial_groups import CHEFREDAKTION
from phases.models import Criterion, Milestone
from selfcheck.models import Fahrplan, FahrplanEntry
from selfcheck.plan import load_plan
from tests import factories
from tests.admin_helpers import change_form_data, editor, logged_in

pytestmark = pytest.mark.django_db

NOTE = "Kämmerei fragt bis Mai nach"


@pytest.fixture
def chefredaktion(django_user_model):
    return logged_in(editor(django_user_model, "chefin", CHEFREDAKTION))


@pytest.fixture
def plan(roadmap):
    """A plan with a tick and a note on the roadmap's criterion and milestone."""
    fahrplan, token = Fahrplan.create_with_token()
    for obj in (roadmap["criterion"], roadmap["milestone"]):
        FahrplanEntry.objects.create(
            fahrplan=fahrplan, done=True, note=NOTE, **FahrplanEntry.snapshot(obj)
        )
    return fahrplan, token


def admin_url(name, *args):
    return reverse(f"admin:phases_criterion_{name}", args=args)


def test_deleting_a_criterion_keeps_the_visitors_tick_and_note(client, roadmap, plan):
    fahrplan, token = plan
    criterion = roadmap["criterion"]
    criterion.title = "Problemanalyse (neu)"
    criterion.save()
    criterion.delete()

    entry = fahrplan.entries.get(target_type="criterion")
    assert (entry.criterion_id, entry.done, entry.note) == (None, True, NOTE)
    assert (entry.target_slug, entry.title) == ("problemanalyse", "Problemanalyse (neu)")
    page = client.get(f"/fahrplan/{token}/").content.decode()
    assert "Dieser Inhalt wurde entfernt" in page
    assert "Problemanalyse (neu)" in page and NOTE in page
    csv_text = client.get(f"/fahrplan/{token}/fahrplan.csv").content.decode("utf-8-sig")
    assert "Dieser Inhalt wurde entfernt;Kriterium;;Problemanalyse (neu);erledigt" in csv_text


def test_removed_entries_do_not_count_towards_progress(roadmap, plan):
    fahrplan, _token = plan
    roadmap["criterion"].delete()
    loaded = load_plan(fahrplan)
    assert [entry.title for entry in loaded.removed] == ["Problemanalyse"]
    assert loaded.progress.text == "1 von 1 erledigt"


def test_deleting_a_milestone_keeps_its_entry_too(roadmap, plan):
    fahrplan, _token = plan
    roadmap["milestone"].delete()
    entry = fahrplan.entries.get(target_type="milestone")
    assert (entry.milestone_id, entry.title, entry.note) == (None, "Bedarf belegt", NOTE)


def test_a_criterion_recovered_from_the_history_is_linked_again(
    client, chefredaktion, roadmap, plan
):
    fahrplan, token = plan
    pk = roadmap["criterion"].pk
    assert chefredaktion.post(admin_url("delete", pk), {"post": "yes"}).status_code == 302
    assert fahrplan.entries.get(target_type="criterion").criterion_id is None

    deleted = Version.objects.get_deleted(Criterion).get(object_id=str(pk))
    recover_url = admin_url("recover", deleted.pk)
    response = chefredaktion.post(recover_url, change_form_data(chefredaktion, recover_url))
    assert response.status_code == 302

    entry = fahrplan.entries.get(target_type="criterion")
    assert (entry.criterion_id, entry.done, entry.note) == (pk, True, NOTE)
    page = client.get(f"/fahrplan/{token}/").content.decode()
    assert "Dieser Inhalt wurde entfernt" not in page
    assert f'value="{NOTE}"' in page


def test_a_new_milestone_with_the_old_slug_takes_over_the_entry(roadmap, plan):
    fahrplan, _token = plan
    old = roadmap["milestone"]
    phase, slug = old.phase, old.slug
    old.delete()
    new = factories.milestone(phase, title="Bedarf belegt", slug=slug)
    assert fahrplan.entries.get(target_type="milestone").milestone == new


def test_delete_confirmation_explains_what_happens_to_visitors_entries(
    chefredaktion, plan, roadmap
):
    response = chefredaktion.get(admin_url("delete", roadmap["criterion"].pk))
    text = response.content.decode()
    assert "persönlichen Fahrplänen" in text and "Dieser Inhalt wurde entfernt" in text
    assert "wieder verknüpft" in text
    assert NOTE not in text  # counts only, nobody's notes


def test_bulk_delete_confirmation_explains_it_too(chefredaktion, plan, roadmap):
    response = chefredaktion.post(
        admin_url("changelist"),
        {"action": "delete_selected", "_selected_action": [roadmap["criterion"].pk]},
    )
    text = response.content.decode()
    assert "persönlichen Fahrplänen" in text and NOTE not in text


def test_the_migration_fills_the_snapshot_of_existing_entries(roadmap, plan):
    fahrplan, _token = plan
    fahrplan.entries.update(target_type="", target_slug="", title="")
    migration = importlib.import_module("selfcheck.migrations.0004_entry_snapshot")
    migration.fill_snapshot(apps, None)
    assert set(fahrplan.entries.values_list("target_type", "target_slug", "title")) == {
        ("criterion", "problemanalyse", "Problemanalyse"),
        ("milestone", "bedarf-belegt", "Bedarf belegt"),
    }
    assert Milestone.objects.count() == 1
