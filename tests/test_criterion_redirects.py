"""Merged criteria: old addresses answer 301, and merging never loses a visitor's data."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from core.publishing import Status
from examples.models import PracticeExample
from phases.models import Criterion, CriterionRedirect, CrossReference
from selfcheck.models import Fahrplan, FahrplanEntry
from tests import factories

pytestmark = pytest.mark.django_db

merge_migration = importlib.import_module("phases.migrations.0009_merge_overlapping_criteria")


@pytest.fixture
def kept(roadmap):
    return factories.criterion(
        roadmap["first"], [roadmap["economic"]], title="Nutzerzentrierung", slug="nutzerzentrierung"
    )


def test_an_old_criterion_address_answers_301_to_the_kept_criterion(client, kept):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept)
    response = client.get("/kriterien/nutzertests/")
    assert response.status_code == 301
    assert response["Location"] == "/kriterien/nutzerzentrierung/"


def test_the_redirect_keeps_the_query_string(client, kept):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept)
    response = client.get("/kriterien/nutzertests/?von=suche")
    assert response["Location"] == "/kriterien/nutzerzentrierung/?von=suche"


def test_the_redirect_follows_a_later_change_of_the_kept_slug(client, kept):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept)
    kept.slug = "nutzerzentrierung-und-tests"
    kept.save()
    assert client.get("/kriterien/nutzertests/")["Location"] == (
        "/kriterien/nutzerzentrierung-und-tests/"
    )


def test_an_unknown_address_still_answers_404(client, kept):
    assert client.get("/kriterien/gibt-es-nicht/").status_code == 404


def test_a_redirect_to_a_draft_is_not_followed(client, kept):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept)
    Criterion.objects.filter(pk=kept.pk).update(status=Status.DRAFT)
    assert client.get("/kriterien/nutzertests/").status_code == 404


def test_a_live_criterion_wins_over_a_redirect_with_its_slug(client, roadmap, kept):
    # Written directly to the table, past validation, as a broken import could do it.
    CriterionRedirect.objects.create(old_slug="problemanalyse", criterion=kept)
    response = client.get("/kriterien/problemanalyse/")
    assert response.status_code == 200
    assert response.context["criterion"] == roadmap["criterion"]


def test_the_redirect_costs_few_queries(client, kept, django_assert_max_num_queries):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept)
    with django_assert_max_num_queries(3):
        assert client.get("/kriterien/nutzertests/").status_code == 301


def test_an_old_address_may_not_be_the_slug_of_an_existing_criterion(roadmap, kept):
    redirect = CriterionRedirect(old_slug="problemanalyse", criterion=kept)
    with pytest.raises(ValidationError) as error:
        redirect.full_clean()
    assert "bereits ein Kriterium" in str(error.value)


def test_a_criterion_may_not_take_a_slug_that_redirects_elsewhere(roadmap, kept):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept)
    other = roadmap["criterion"]
    other.slug = "nutzertests"
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "frühere Adresse" in str(error.value)


def test_the_kept_criterion_may_take_back_its_own_former_slug(kept):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept)
    kept.slug = "nutzertests"
    kept.full_clean()


def test_editors_maintain_former_addresses_on_the_criterion_page_in_the_admin(admin_client, kept):
    CriterionRedirect.objects.create(old_slug="nutzertests", criterion=kept, note="Zusammengeführt")
    response = admin_client.get(f"/admin/phases/criterion/{kept.pk}/change/")
    assert response.status_code == 200
    assert "Frühere Adressen, die hierher weiterleiten" in response.content.decode()
    assert 'value="nutzertests"' in response.content.decode()


# --- The data migration for databases that still hold the merged rows ----------------------


@pytest.fixture
def merged_rows(roadmap, kept):
    old = factories.criterion(
        roadmap["second"], [roadmap["economic"]], title="Nutzertests", slug="nutzertests"
    )
    return {"old": old, "kept": kept, "other": roadmap["criterion"]}


def test_migration_moves_fahrplan_entries_and_unpublishes_the_old_row(client, merged_rows):
    old, kept = merged_rows["old"], merged_rows["kept"]
    plan, _ = Fahrplan.create_with_token()
    FahrplanEntry.objects.create(fahrplan=plan, criterion=old, done=True, note="Test im Mai")

    merge_migration.merge(apps, None)

    entry = FahrplanEntry.objects.get(fahrplan=plan)
    assert (entry.criterion, entry.done, entry.note) == (kept, True, "Test im Mai")
    old.refresh_from_db()
    assert old.status == Status.DRAFT
    assert old.slug == "nutzertests-zusammengefuehrt"
    assert Criterion.objects.filter(pk=old.pk).exists()
    assert client.get("/kriterien/nutzertests/")["Location"] == "/kriterien/nutzerzentrierung/"


def test_migration_joins_two_notes_of_one_plan_instead_of_dropping_one(merged_rows):
    old, kept = merged_rows["old"], merged_rows["kept"]
    plan, _ = Fahrplan.create_with_token()
    FahrplanEntry.objects.create(fahrplan=plan, criterion=kept, note="Personas fertig")
    FahrplanEntry.objects.create(fahrplan=plan, criterion=old, done=True, note="Zwei Runden")

    merge_migration.merge(apps, None)

    entry = FahrplanEntry.objects.get(fahrplan=plan)
    assert entry.criterion == kept and entry.done
    assert entry.note == "Personas fertig\nNutzertests: Zwei Runden"


def test_migration_leaves_an_entry_in_place_when_the_notes_do_not_fit_together(merged_rows):
    old, kept = merged_rows["old"], merged_rows["kept"]
    plan, _ = Fahrplan.create_with_token()
    FahrplanEntry.objects.create(fahrplan=plan, criterion=kept, note="a" * 200)
    FahrplanEntry.objects.create(fahrplan=plan, criterion=old, note="b" * 200)

    merge_migration.merge(apps, None)

    notes = dict(FahrplanEntry.objects.values_list("criterion_id", "note"))
    assert notes == {kept.pk: "a" * 200, old.pk: "b" * 200}


def test_migration_moves_links_but_never_creates_self_links_or_duplicates(roadmap, merged_rows):
    old, kept, other = merged_rows["old"], merged_rows["kept"], merged_rows["other"]
    self_link = CrossReference.objects.create(
        source=old, target_criterion=kept, note="setzt voraus"
    )
    incoming = CrossReference.objects.create(
        source=other, target_criterion=old, note="hängt zusammen"
    )
    example = factories.example(roadmap["first"])
    example.criteria.set([old])

    merge_migration.merge(apps, None)

    incoming.refresh_from_db()
    self_link.refresh_from_db()
    assert incoming.target_criterion == kept
    assert self_link.source == old  # stays on the unpublished row, no self-link
    assert kept in PracticeExample.objects.get(pk=example.pk).criteria.all()


def test_migration_does_nothing_harmful_on_a_database_without_the_rows(roadmap):
    merge_migration.merge(apps, None)
    assert not CriterionRedirect.objects.exists()
    assert Criterion.objects.count() == 1
