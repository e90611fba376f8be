"""The criteria explorer (/kriterien/): combinable GET filters with counts per value."""

from django.views.generic import ListView

from .models import Criterion


class CriterionExplorerView(ListView):
    template_name = "phases/criterion_list.html"
    context_object_name = "criteria"

    def get_queryset(self):
        return Criterion.objects.published().for_listing()
