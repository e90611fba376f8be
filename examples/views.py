from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from core.facets import ChoiceFacet, ModelFacet
from core.filtering import FilteredListMixin
from core.lookups import LookupTablesMixin
from core.preview import DraftPreviewMixin, PrivateWhenLoggedInMixin, preview_queryset
from phases.models import Criterion, Phase

from .evidence import FILTER_CHOICES as EVIDENCE_CHOICES
from .models import FederalState, PracticeExample, Resource, Source


class ExampleListView(LookupTablesMixin, FilteredListMixin, ListView):
    """Practice examples with combinable GET filters (see core.facets)."""

    template_name = "examples/example_list.html"
    context_object_name = "examples"
    result_noun = ("Praxisbeispiel", "Praxisbeispiele")
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
    template_name = "examples/example_detail.html"
    context_object_name = "example"

    def get_queryset(self):
        return (
            self.visible(PracticeExample.objects.all())
            .select_related("phase_reached")
            .prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.published().for_listing()),
                Prefetch("sources", queryset=Source.objects.all()),
            )
        )


class ResourceListView(PrivateWhenLoggedInMixin, ListView):
    """All published resources; editors also see drafts there (no page of their own)."""

    template_name = "examples/resource_list.html"
    context_object_name = "resources"

    def get_queryset(self):
        return preview_queryset(self.request, Resource.objects.all())
