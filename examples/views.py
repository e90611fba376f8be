from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from phases.models import Criterion

from .models import PracticeExample, Resource


class ExampleListView(ListView):
    template_name = "examples/example_list.html"
    context_object_name = "examples"

    def get_queryset(self):
        return PracticeExample.objects.published().select_related("phase_reached")


class ExampleDetailView(DetailView):
    template_name = "examples/example_detail.html"
    context_object_name = "example"

    def get_queryset(self):
        return (
            PracticeExample.objects.published()
            .select_related("phase_reached")
            .prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.published().for_listing())
            )
        )


class ResourceListView(ListView):
    template_name = "examples/resource_list.html"
    context_object_name = "resources"

    def get_queryset(self):
        return Resource.objects.published()
