from django.views.generic import DetailView, ListView

from core.facets import ChoiceFacet, ModelFacet
from core.filtering import FilteredListMixin
from core.lookups import LookupTablesMixin
from core.preview import (
    DraftPreviewMixin,
    PrivateWhenLoggedInMixin,
    preview_queryset,
)
from core.publishing import public_tree_nodes_by_key
from phases.cards import example_card
from phases.models import Phase

from . import example_page
from .evidence import FILTER_CHOICES as EVIDENCE_CHOICES
from .models import FederalState, PracticeExample, Resource


class ExampleListView(LookupTablesMixin, FilteredListMixin, ListView):
    """Practice examples with combinable GET filters (see core.facets)."""

    template_name = "examples/example_list.html"
    context_object_name = "examples"
    result_noun = ("Praxisbeispiel", "Praxisbeispiele")
    render_card = staticmethod(example_card)  # HTML kept per content state
    keys_per_content_state = True  # the same published examples for every visitor
    facets = (
        ChoiceFacet("beleg", "Art des Beispiels", field="evidence", choices=EVIDENCE_CHOICES),
        ChoiceFacet("land", "Land", field="state", choices=FederalState.choices, hide_empty=True),
        ChoiceFacet(
            "groesse",
            "Größenklasse",
            field="size_class",
            choices=PracticeExample.SizeClass.choices,
        ),
        ChoiceFacet(
            "art",
            "Art der Lösung",
            field="solution_type",
            choices=PracticeExample.SolutionType.choices,
        ),
        ModelFacet(
            "phase",
            "Erreichte Phase",
            field="phase_reached_id",
            queryset=Phase.objects.published().groups(),
        ),
    )

    def get_base_queryset(self):
        return PracticeExample.objects.published().without_long_texts()


class ExampleDetailView(LookupTablesMixin, DraftPreviewMixin, DetailView):
    model = PracticeExample
    template_name = "examples/example_detail.html"
    context_object_name = "example"
    # The same query for every visitor: composed once per process.
    public_object = staticmethod(example_page.public_example)
    not_found_message = "Kein öffentliches Praxisbeispiel mit diesem Kurznamen."

    def get_queryset(self):
        return self.visible(PracticeExample.objects.all()).only(*example_page.PAGE_COLUMNS)

    def get_object(self, queryset=None):
        example = super().get_object(queryset)
        # A public example's phase is public: from the tree (core/lookups.py). A draft phase
        # (editors' preview) is left to load on access.
        phases = public_tree_nodes_by_key(Phase)
        if example.phase_reached_id in phases:
            example.phase_reached = phases[example.phase_reached_id]
        return example

    def get_context_data(self, **kwargs):
        return super().get_context_data(**example_page.related_rows(self.object), **kwargs)


class ResourceListView(PrivateWhenLoggedInMixin, ListView):
    """All published resources; editors also see drafts there (no page of their own)."""

    template_name = "examples/resource_list.html"
    context_object_name = "resources"

    def get_queryset(self):
        return preview_queryset(self.request, Resource.objects.all())
