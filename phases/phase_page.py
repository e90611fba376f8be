"""What a phase page lists below the phase itself, kept per phase and content state.

Criteria by workstream, practice examples, incoming cross-references and sources are the
same for every visitor of a phase page (editors see published rows there too; only the
milestones show them drafts, see ``PhaseDetailView.milestones``). Reading them took five
queries per request; each process now reads them once per phase and content state
(``core.lookups.cached``) on the first request after a change. The rows are shared by every
request of this process: callers only read them.
"""

from typing import NamedTuple

from core import lookups

from .cards import criterion_card, example_card
from .models import CriteriaByWorkstream, Criterion, CrossReference, public_workstreams

# A phase page shows at most this many cards per list and links to the full, filtered list:
# its size and cost stay the same however much content the roadmap grows to. Eight criteria
# per workstream show every criterion of the current content (at most seven per cell).
CRITERIA_PER_WORKSTREAM = 8
EXAMPLES_SHOWN = 6


class PhasePageRows(NamedTuple):
    criteria: CriteriaByWorkstream
    examples: list  # at most EXAMPLES_SHOWN
    more_examples: bool  # … and there are more
    references_in: list  # public criteria citing the phase
    sources: list


def _read(phase):
    # One more than shown tells whether to link to the full list.
    examples = list(phase.examples.published().without_long_texts()[: EXAMPLES_SHOWN + 1])
    return PhasePageRows(
        criteria=Criterion.objects.published()
        .filter(phase=phase)
        .by_workstream(public_workstreams(), CRITERIA_PER_WORKSTREAM),
        examples=examples[:EXAMPLES_SHOWN],
        more_examples=len(examples) > EXAMPLES_SHOWN,
        references_in=list(
            CrossReference.objects.from_public_criteria()
            .filter(target_phase=phase)
            .select_related_for_links("source")
        ),
        sources=list(phase.sources.all()),
    )


def phase_page_rows(phase):
    """The lists of ``phase``'s page (``PhasePageRows``), read once per content state."""
    return lookups.cached(("phase-page", phase.pk), lambda: _read(phase))


def with_rendered_cards(criteria):
    """``criteria`` (``CriteriaByWorkstream``) with each group's criteria as their rendered
    cards (phases/cards.py): per request, because the cards' addresses follow the request's
    script prefix."""
    groups = [
        (workstream, [criterion_card(card.pk, lambda card=card: card) for card in cards], total)
        for workstream, cards, total in criteria.groups
    ]
    return criteria._replace(groups=groups)


def rendered_example_cards(examples):
    """The cards of ``examples`` (phases/cards.py), per request like ``with_rendered_cards``."""
    return [example_card(example.pk, lambda example=example: example) for example in examples]
