"""/daten/: the open-data page and the downloads (one JSON document, CSV files)."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from core import spreadsheet

from . import export
from .api import FILTERS, MAX_PAGE_SIZE, PAGE_SIZE
from .conditional import conditional, request_version
from .download_cache import cached_body


class OpenDataView(TemplateView):
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        version = request_version(self.request)
        return super().get_context_data(
            version=version,
            collections=export.COLLECTIONS.values(),
            csv_exports=export.CSV_EXPORTS.values(),
            api_filters=[(export.COLLECTIONS[key], facets) for key, facets in FILTERS.items()],
            api_base=self.request.build_absolute_uri(reverse("opendata:api:api-root")),
            page_size=PAGE_SIZE,
            max_page_size=MAX_PAGE_SIZE,
            licence_url=export.LICENCE_URL,
            attribution=export.ATTRIBUTION,
            list_separator=spreadsheet.LIST_SEPARATOR,
            **kwargs,
        )


def download(body, content_type, filename):
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@method_decorator(conditional, name="get")
class JsonDownloadView(View):
    filename = "skalierungsroadmap.json"

    def get(self, request):
        version = request_version(request)
        body = cached_body(
            self.filename, version, request, lambda: export.document_json(request, version)
        )
        return download(body, "application/json", self.filename)


@method_decorator(conditional, name="get")
class CsvDownloadView(View):
    def get(self, request, name):
        csv_export = export.CSV_EXPORTS.get(name)
        if csv_export is None:
            raise Http404("Diese Datei gibt es nicht.")
        body = cached_body(
            f"{name}.csv",
            request_version(request),
            request,
            lambda: export.csv_text(csv_export, request),
        )
        return download(body, "text/csv; charset=utf-8", f"{name}.csv")
