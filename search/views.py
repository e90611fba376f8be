"""The search page (/suche/); the work is done in ``search.engine``."""

from django.views.generic import TemplateView

from core.pagination import PAGE_PARAM

from .engine import search
from .query import MAX_QUERY_LENGTH, TYPE_PARAM, clean_query, normalise_query


class SearchView(TemplateView):
    template_name = "roadmap/search.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        raw = params.get("q", "")
        query = clean_query(raw)
        results = None
        if query:
            type_key = params.get(TYPE_PARAM, "").strip()
            results = search(query, type_key, params.get(PAGE_PARAM, "").strip())
        return super().get_context_data(
            query=query,
            query_was_cut=len(normalise_query(raw)) > MAX_QUERY_LENGTH,
            results=results,
            max_query_length=MAX_QUERY_LENGTH,
            **kwargs,
        )
