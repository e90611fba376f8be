from django.urls import include, path

from core.converters import register_pattern_converter

from . import tool_views, views
from .documents import views as document_views
from .models import TOKEN_PATTERN

app_name = "selfcheck"


# Only strings shaped like a token reach the views; everything else is a plain 404.
register_pattern_converter("fahrplan_token", TOKEN_PATTERN)
register_pattern_converter("document_format", "docx|odt")

# Everything behind a Fahrplan's secret link /fahrplan/<token>/: the plan itself, its export
# and deletion, the Fahrplan tools (selfcheck/tool_views.py).
fahrplan_patterns = [
    path("", views.FahrplanView.as_view(), name="fahrplan"),
    path("fahrplan.csv", views.FahrplanCsvView.as_view(), name="fahrplan-csv"),
    path("loeschen/", views.FahrplanDeleteView.as_view(), name="fahrplan-delete"),
    path("zeitplan/", tool_views.ScheduleView.as_view(), name="fahrplan-zeitplan"),
    path("zeitplan.ics", tool_views.CalendarView.as_view(), name="fahrplan-ics"),
    path("entscheidungen/", tool_views.DecisionsView.as_view(), name="fahrplan-entscheidungen"),
    path("dokumente/", tool_views.DocumentsView.as_view(), name="fahrplan-dokumente"),
    path(
        "dokumente/<slug:slug>.<document_format:format>",
        tool_views.DocumentDownloadView.as_view(),
        name="fahrplan-dokument",
    ),
]

# There is deliberately no address that lists Fahrpläne: /fahrplan/ itself is a 404.
urlpatterns = [
    path("selbstcheck/", views.SelfCheckView.as_view(), name="selfcheck"),
    path("selbstcheck/ergebnis/", views.SelfCheckResultView.as_view(), name="result"),
    path("fahrplan/neu/", views.FahrplanCreateView.as_view(), name="fahrplan-create"),
    path("fahrplan/geloescht/", views.FahrplanDeletedView.as_view(), name="fahrplan-deleted"),
    path("fahrplan/<fahrplan_token:token>/", include(fahrplan_patterns)),
    # The blank templates (selfcheck/documents/).
    path("vorlagen/", document_views.VorlagenView.as_view(), name="vorlagen"),
    path(
        "vorlagen/<slug:slug>.<document_format:format>",
        document_views.BlankDownloadView.as_view(),
        name="vorlage-datei",
    ),
]
