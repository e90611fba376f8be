"""Cards rendered once per item and content state (phases/cards.py)."""

import pytest
from django.urls import set_script_prefix

from core import lookups
from phases.cards import criterion_card, example_card
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
