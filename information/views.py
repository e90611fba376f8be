from django.views.generic import ListView, TemplateView

from core.lookups import LookupTablesMixin
from core.preview import PrivateWhenLoggedInMixin, preview_queryset
from phases.models import public_phase_groups, public_workstreams

from .models import GlossaryTerm


class HomeView(LookupTablesMixin, TemplateView):
    template_name = "roadmap/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(phases=public_phase_groups(), **kwargs)


class IntroductionView(LookupTablesMixin, TemplateView):
    template_name = "roadmap/introduction.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            phases=public_phase_groups(),
            workstreams=public_workstreams(),
            **kwargs,
        )


class GlossaryView(PrivateWhenLoggedInMixin, ListView):
    """All published terms; editors also see drafts there, since terms have no page of their own."""

    template_name = "roadmap/glossary.html"
    context_object_name = "terms"

    def get_queryset(self):
        return preview_queryset(self.request, GlossaryTerm.objects.all())
