"""The criteria explorer (/kriterien/): combinable GET filters with counts per value.

The filter logic lives in ``core.facets``; this module only declares the facets.
Parameter names are part of the public URLs (``Workstream.get_absolute_url`` and friends).
"""

from django.views.generic import ListView

from core import lookups
from core.facets import BooleanFacet, ModelFacet, RelationFacet, TreeFacet
from core.filtering import FilteredListMixin
from core.lookups import LookupTablesMixin

from .cards import criterion_card
from .models import Criterion, OperatorModel, Phase, ScalingDriver, Stakeholder, Workstream
from .models.criteria import CARD_COLUMNS, complete_cards

CRITERION_FACETS = (
    ModelFacet(
        "phase",
        "Phase",
        field="phase_id",
        queryset=Phase.objects.published().groups(),
        hint="Die Phase, ab der ein Kriterium gilt.",
    ),
    RelationFacet(
        "arbeitsstrang",
        "Arbeitsstrang",
        field="workstreams",
        queryset=Workstream.objects.published(),
    ),
    RelationFacet(
        "akteur",
        "Schlüsselakteure",
        field="stakeholders",
        queryset=Stakeholder.objects.published(),
    ),
    RelationFacet(
        "betreibermodell",
        "Betreibermodell",
        field="operator_models",
        queryset=OperatorModel.objects.published(),
    ),
    TreeFacet(
        "treiber",
        "Skalierungstreiber",
        field="scaling_driver",
        queryset=ScalingDriver.objects.published(),
        hint="Ein Treiber schließt alle Subtreiber, Kategorien und Mechanismen darunter ein. "
        "Zur Wahl stehen die Einträge, zu denen es passende Kriterien gibt.",
        empty_label="Alle Skalierungstreiber",
        hide_empty=True,
    ),
    BooleanFacet(
        "transfer",
        "Transfer",
        field="transfer_relevant",
        option_label="Nur Kriterien, die für den Transfer besonders wichtig sind",
        summary_text="Transfer: nur besonders wichtige Kriterien",
    ),
)


class CriterionExplorerView(LookupTablesMixin, FilteredListMixin, ListView):
    template_name = "phases/criterion_list.html"
    context_object_name = "criteria"
    facets = CRITERION_FACETS
    result_noun = ("Kriterium", "Kriterien")
    render_card = staticmethod(criterion_card)  # HTML kept per content state
    keys_per_content_state = True  # the same published criteria for every visitor

    def get_base_queryset(self):
        return (
            Criterion.objects.published()
            .only(*CARD_COLUMNS)
            .order_by("phase__tree_id", "phase__lft", "title")
        )

    def page_items(self, pks):
        return [self.cards()[pk] for pk in pks]

    def cards(self):
        """{pk: card} of every public criterion, kept per content state (core/lookups.py):
        phases from the cached tree, workstreams from the filter's keys. Shared by every
        request of this process: templates only read the cards."""

        def read():
            items = self.get_base_queryset()
            links = self.filterset.load_relation_keys(items)
            cards = {card.pk: card for card in items}
            complete_cards(cards.values(), links["arbeitsstrang"])
            return cards

        return lookups.cached("explorer-cards", read)
