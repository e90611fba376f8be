"""Cards rendered once per item and content state (phases/cards.py)."""

import pytest
from django.test import Client
from django.urls import set_script_prefix

from core import lookups
from phases import cards
from phases.cards import criterion_card, example_card, list_items
from tests import factories


@pytest.fixture
def tables(db):
    """Lookup tables on, as in a view with ``LookupTablesMixin``."""
    lookups.activate()
    yield
    lookups.deactivate()
    set_script_prefix("/")


def test_a_card_is_rendered_once_per_content_state(tables, roadmap):
    example = factories.example(roadmap["first"], title="Erstes Beispiel")
    loads = []

    def load():
        loads.append(1)
        return example

    first = example_card(example.pk, load)
    assert example_card(example.pk, load) == first
    assert "Erstes Beispiel" in first and len(loads) == 1


def test_a_changed_item_gets_a_new_card_with_the_next_content_state(tables, roadmap):
    criterion = roadmap["criterion"]
    criterion.listed_workstreams, criterion.phase = [], roadmap["first"]
    assert criterion.title in criterion_card(criterion.pk, lambda: criterion)
    criterion.title = "Neuer Titel"
    criterion.save()  # a new content state
    lookups.deactivate()  # the next request
    lookups.activate()
    assert "Neuer Titel" in criterion_card(criterion.pk, lambda: criterion)


def test_cards_follow_the_script_prefix_of_the_request(tables, roadmap):
    example = factories.example(roadmap["first"])
    assert f'href="/beispiele/{example.slug}/"' in example_card(example.pk, lambda: example)
    set_script_prefix("/roadmap/")
    card = example_card(example.pk, lambda: example)
    assert f'href="/roadmap/beispiele/{example.slug}/"' in card


def test_without_lookup_tables_nothing_is_kept(db, roadmap):
    example = factories.example(roadmap["first"])
    loads = []
    example_card(example.pk, lambda: loads.append(1) or example)
    example_card(example.pk, lambda: loads.append(1) or example)
    assert len(loads) == 2


def test_list_items_are_rendered_once_per_content_state_one_per_line(tables, roadmap, monkeypatch):
    first_milestone = roadmap["milestone"]
    second = factories.milestone(roadmap["first"], title="Zweiter", slug="zweiter")
    renders = []
    render = cards.render_to_string
    monkeypatch.setattr(cards, "render_to_string", lambda *a: renders.append(1) or render(*a))
    first = list_items(cards.MILESTONE, "milestone", [first_milestone, second])
    again = list_items(cards.MILESTONE, "milestone", [first_milestone, second])
    assert again == first and len(renders) == 2
    item_lines = [line.strip() for line in first.splitlines() if line.strip().startswith("<li")]
    assert item_lines == [
        f'<li id="meilenstein-{first_milestone.slug}">',
        '<li id="meilenstein-zweiter">',
    ]
    assert first.startswith("<li") and first.endswith("</li>")
    assert list_items(cards.MILESTONE, "milestone", []) == ""


def test_a_renamed_milestone_shows_on_the_phase_page_of_the_next_request(client, roadmap):
    page = client.get(roadmap["first"].get_absolute_url()).content.decode()
    assert "Bedarf belegt" in page
    milestone = roadmap["milestone"]
    milestone.title = "Bedarf mit Zahlen belegt"
    milestone.save()
    page = client.get(roadmap["first"].get_absolute_url()).content.decode()
    assert "Bedarf mit Zahlen belegt" in page


def test_an_editor_sees_a_draft_milestone_with_its_badge_and_visitors_never_do(
    editor_client, roadmap
):
    factories.milestone(roadmap["first"], title="Noch geheim", slug="geheim", status="draft")
    url = roadmap["first"].get_absolute_url()
    editor_page = editor_client.get(url).content.decode()
    assert "Noch geheim" in editor_page and "nur für die Redaktion sichtbar" in editor_page
    assert "Noch geheim" not in Client().get(url).content.decode()  # a visitor
