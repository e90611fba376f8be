"""Review dates: the "inhaltlich geprüft" tick, the due list and "Stand" on public pages."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.editorial_groups import REDAKTION
from editorial.review_dates import add_months, due_items
from phases.models import Criterion
from tests import factories
from tests.admin_helpers import change_form_data, editor, logged_in

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse("admin:phases_criterion_change", args=[obj.pk])


def test_adding_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(date(2026, 12, 5), 12) == date(2027, 12, 5)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_ticking_inhaltlich_geprueft_sets_date_editor_and_next_review(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    url = change_url(criterion)
    data = change_form_data(chefredaktion, url, inhaltlich_geprueft="on")
    assert chefredaktion.post(url, data).status_code == 302
    criterion.refresh_from_db()
    today = timezone.localdate()
    assert criterion.last_reviewed_at == today
    assert criterion.last_reviewed_by.username == "chefin"
    assert criterion.next_review_due == add_months(today, 12)


def test_an_entered_next_review_date_is_kept_when_ticking(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    url = change_url(criterion)
    data = change_form_data(
        chefredaktion, url, inhaltlich_geprueft="on", next_review_due="01.03.2027"
    )
    assert chefredaktion.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert criterion.next_review_due == date(2027, 3, 1)


def test_saving_without_the_tick_changes_no_review_date(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    url = change_url(criterion)
    assert chefredaktion.post(url, change_form_data(chefredaktion, url)).status_code == 302
    criterion.refresh_from_db()
    assert criterion.last_reviewed_at is None


def test_redaktion_gets_no_review_tick(django_user_model, roadmap):
    client = logged_in(editor(django_user_model, "redakteur", REDAKTION))
    form = client.get(change_url(roadmap["criterion"])).context["adminform"].form
    assert "inhaltlich_geprueft" not in form.fields


def test_due_list_shows_overdue_and_never_reviewed_oldest_first_but_no_drafts(
    chefredaktion, roadmap
):
    today = timezone.localdate()
    Criterion.objects.filter(pk=roadmap["criterion"].pk).update(
        next_review_due=today - timedelta(days=3)
    )
    older = factories.criterion(
        roadmap["first"], [roadmap["economic"]], next_review_due=today - timedelta(days=30)
    )
    factories.criterion(
        roadmap["first"], [roadmap["economic"]], next_review_due=today + timedelta(days=30)
    )
    factories.criterion(roadmap["first"], [roadmap["economic"]], status="draft")
    criteria = [item for item in due_items() if isinstance(item, Criterion)]
    assert criteria == [older, Criterion.objects.get(pk=roadmap["criterion"].pk)]
    html = chefredaktion.get(reverse("admin:review_due")).content.decode()
    assert html.index(older.title) < html.index(roadmap["criterion"].title)
    assert "noch nie" in html


def test_due_list_needs_a_fixed_number_of_queries(
    chefredaktion, roadmap, django_assert_max_num_queries
):
    for _ in range(5):
        factories.criterion(roadmap["first"], [roadmap["economic"]])
    with django_assert_max_num_queries(25):
        assert chefredaktion.get(reverse("admin:review_due")).status_code == 200


def test_public_page_shows_stand_from_the_last_review(client, roadmap):
    Criterion.objects.filter(pk=roadmap["criterion"].pk).update(last_reviewed_at=date(2026, 3, 14))
    html = client.get(roadmap["criterion"].get_absolute_url()).content.decode()
    assert "Stand: März 2026" in html


def test_public_page_without_review_shows_stand_of_the_last_change(client, roadmap):
    operator_model = factories.operator_model()
    html = client.get(operator_model.get_absolute_url()).content.decode()
    month = timezone.localdate(operator_model.updated_at)
    assert re.search(rf"Stand: [A-Za-zä]+ {month.year}", html)


def test_example_pages_keep_their_own_stand_from_the_checked_sources(client, roadmap):
    example = factories.example(roadmap["first"])  # a scenario: no sources, no Stand
    html = client.get(example.get_absolute_url()).content.decode()
    assert "Stand:" not in html


def test_open_data_and_api_carry_both_review_dates(client, roadmap):
    Criterion.objects.filter(pk=roadmap["criterion"].pk).update(
        last_reviewed_at=date(2026, 3, 14), next_review_due=date(2027, 3, 14)
    )
    item = client.get("/api/v1/criteria/").json()["items"][0]
    assert item["last_reviewed_at"] == "2026-03-14"
    assert item["next_review_due"] == "2027-03-14"


def test_changelist_action_marks_selected_entries_as_reviewed(chefredaktion, roadmap):
    criterion = roadmap["criterion"]
    response = chefredaktion.post(
        reverse("admin:phases_criterion_changelist"),
        {"action": "mark_reviewed", "_selected_action": [criterion.pk]},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.last_reviewed_at == timezone.localdate()
    assert criterion.last_reviewed_by.username == "chefin"


def test_redaktion_is_not_offered_the_review_action(django_user_model, roadmap):
    client = logged_in(editor(django_user_model, "redakteur", REDAKTION))
    changelist = client.get(reverse("admin:phases_criterion_changelist"))
    assert "mark_reviewed" not in dict(changelist.context["action_form"].fields["action"].choices)
