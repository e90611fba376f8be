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
from django.utils.safestring import mark_safe

from core import lookups

CRITERION_CARD = "includes/criterion_card.html"
EXAMPLE_CARD = "includes/example_card.html"


def _card(template, name, pk, load, *, strip=False):
    cards = lookups.cached((template, get_script_prefix()), dict)
    card = cards.get(pk)
    if card is None:
        card = render_to_string(template, {name: load()})
        card = cards[pk] = mark_safe(card.strip()) if strip else card
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


# The items of the phase page's lists (phases/templates: phase_detail.html): rendered like the
# cards, so a phase with ten times the milestones costs little more than the phase itself.
MILESTONE = "includes/milestone_item.html"
SUB_PHASE = "includes/sub_phase_item.html"
PHASE_REFERENCE_OUT = "includes/phase_reference_out.html"
PHASE_REFERENCE_IN = "includes/phase_reference_in.html"


def list_items(template, name, objects):
    """Each of ``objects`` rendered with ``template`` (as ``name``), without the whitespace
    around it: the page's loop places each item on a line of its own."""
    return [_card(template, name, obj.pk, lambda obj=obj: obj, strip=True) for obj in objects]
