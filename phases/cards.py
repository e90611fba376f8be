"""Cards rendered once per item and content state, for every page that lists them.

A criterion card (``includes/criterion_card.html``) or an example card
(``includes/example_card.html``) shows only its item's own columns (a criterion also its phase
and workstreams), so its HTML is the same wherever and for whomever it appears – until content
changes. Each process renders a card the first time a page shows it and keeps it per content
state (core/lookups.py) and script prefix (addresses include the prefix of an installation
below a sub-path). The includes stay the one place of the cards' markup. Outside a request that
uses the lookup tables nothing is kept.
"""

from django.template.loader import render_to_string
from django.urls import get_script_prefix

from core import lookups

CRITERION_CARD = "includes/criterion_card.html"
EXAMPLE_CARD = "includes/example_card.html"


def _card(template, name, pk, load):
    cards = lookups.cached((template, get_script_prefix()), dict)
    card = cards.get(pk)
    if card is None:
        card = cards[pk] = render_to_string(template, {name: load()})
    return card


def criterion_card(pk, load):
    """The card of the public criterion ``pk`` as safe HTML. ``load()`` returns the criterion
    with ``phase`` and ``listed_workstreams`` set (``complete_cards``); it is called only when
    the card is not rendered yet in this content state."""
    return _card(CRITERION_CARD, "criterion", pk, load)


def example_card(pk, load):
    """The card of the public practice example ``pk`` as safe HTML; ``load()`` returns the
    example and is called only when the card is not rendered yet in this content state."""
    return _card(EXAMPLE_CARD, "example", pk, load)
