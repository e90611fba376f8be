"""What an example page shows besides the example: keys from one query, rows from tables.

The criteria an example illustrates and its sources are found by the keys of its links (one
``UNION ALL`` over both link tables, core/link_keys.py); the rows come from tables every process
keeps per content state (core/lookups.py) – the public criteria with what their card shows, and
the sources – in each model's order, as the prefetches had them. Each criterion card
(phases/cards.py) and the sources section are rendered from their shared templates once per
item and content state.
"""

from core import lookups
from core.compiled_sql import CompiledValuesQuery, instance_from_row
from core.link_keys import related_keys
from phases.cards import criterion_card
from phases.criterion_page import source_rows, sources_section
from phases.models import Criterion
from phases.models.criteria import CARD_COLUMNS, complete_cards

from .models import PracticeExample

# The columns of an example that its page shows (templates/examples/example_detail.html).
PAGE_COLUMNS = (
    *("status", "title", "slug", "summary", "municipality", "state", "size_class"),
    *("solution_type", "phase_reached", "evidence", "checked_on", "source_url", "body_html"),
    *("lessons_learned", "lessons_learned_html"),
)

# The public example by its slug, with the visibility rule in SQL (a subquery, valid for every
# content state), compiled once per process: composing it cost more than running it.
_PUBLIC_EXAMPLE = CompiledValuesQuery(
    lambda slug: (
        PracticeExample.objects.public().filter(slug=slug).order_by().values("pk", *PAGE_COLUMNS)
    )
)


def public_example(slug):
    """The public example with this slug (only ``PAGE_COLUMNS`` loaded), or None."""
    return _PUBLIC_EXAMPLE.instance(slug)


def _public_criteria():
    """The public criteria as plain rows of their card's columns ({pk: row}, in their order)
    and each one's workstream keys, kept per content state. Plain rows: the first request
    after a change reads them all, but only the shown ones become objects (``_card``)."""

    def read():
        public = Criterion.objects.public()
        rows = {row["pk"]: row for row in public.values("pk", *CARD_COLUMNS)}
        workstreams_of = {}
        for pk, workstream_id in public.order_by().values_list("pk", "workstreams"):
            workstreams_of.setdefault(pk, set()).add(workstream_id)
        return rows, {pk: position for position, pk in enumerate(rows)}, workstreams_of

    return lookups.cached("public-criterion-card-rows", read)


def _criterion(row, workstreams_of):
    criterion = instance_from_row(Criterion, row)
    complete_cards([criterion], workstreams_of)  # phase and workstreams, no query
    return criterion


def related_rows(example):
    """``criterion_cards`` and ``sources_section`` of an example (rendered), public rows
    only."""
    keys = related_keys(PracticeExample, example.pk, ("criteria", "sources"))
    criteria, position, workstreams_of = _public_criteria()
    shown = sorted((pk for pk in keys["criteria"] if pk in criteria), key=position.__getitem__)
    sources = source_rows()
    order = lookups.cached("source-positions", lambda: {pk: i for i, pk in enumerate(sources)})
    cited = sorted((pk for pk in keys["sources"] if pk in sources), key=order.__getitem__)
    return {
        "criterion_cards": [
            criterion_card(pk, lambda pk=pk: _criterion(criteria[pk], workstreams_of))
            for pk in shown
        ],
        "sources_section": sources_section(example, [sources[pk] for pk in cited]),
    }
