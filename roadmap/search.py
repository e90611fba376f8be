"""Full-text search over all published content (/suche/). Placeholder until implemented."""

from django.views.generic import TemplateView


class SearchView(TemplateView):
    template_name = "roadmap/search.html"
