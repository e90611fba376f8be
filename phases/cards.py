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


def _rendered(template):
    """{pk: HTML} of ``template`` in this content state and script prefix."""
    return lookups.cached((template, get_script_prefix()), dict)


def _card(template, name, pk, load):
    cards = _rendered(template)
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


# The items of the phase page's lists (phases/templates: phase_detail.html): rendered like the
# cards, so a phase with ten times the milestones costs little more than the phase itself.
MILESTONE = "includes/milestone_item.html"
SUB_PHASE = "includes/sub_phase_item.html"
PHASE_REFERENCE_OUT = "includes/phase_reference_out.html"
PHASE_REFERENCE_IN = "includes/phase_reference_in.html"


def list_items(template, name, objects):
    """``objects`` rendered with ``template`` (each as ``name``) as one piece of HTML, one
    item per line: the page outputs a list as one value instead of looping over its items."""
    rendered = _rendered(template)  # once per list, not per item
    items = []
    for obj in objects:
        item = rendered.get(obj.pk)
        if item is None:
            item = rendered[obj.pk] = render_to_string(template, {name: obj}).strip()
        items.append(item)
    # Safe: each item is the output of the template engine, which escaped it.
    return mark_safe("\n      ".join(items))
