from django.urls import path

from core.converters import register_pattern_converter

from . import tool_views, views
from .documents import views as document_views
from .models import TOKEN_PATTERN

app_name = "selfcheck"


# Only strings shaped like a token reach the views; everything else is a plain 404.
register_pattern_converter("fahrplan_token", TOKEN_PATTERN)
register_pattern_converter("document_format", "docx|odt")

# There is deliberately no address that lists Fahrpläne: /fahrplan/ itself is a 404.
urlpatterns = [
    path("selbstcheck/", views.SelfCheckView.as_view(), name="selfcheck"),
    path("selbstcheck/ergebnis/", views.SelfCheckResultView.as_view(), name="result"),
    path("fahrplan/neu/", views.FahrplanCreateView.as_view(), name="fahrplan-create"),
    path("fahrplan/geloescht/", views.FahrplanDeletedView.as_view(), name="fahrplan-deleted"),
    path("fahrplan/<fahrplan_token:token>/", views.FahrplanView.as_view(), name="fahrplan"),
    path(
        "fahrplan/<fahrplan_token:token>/fahrplan.csv",
        views.FahrplanCsvView.as_view(),
        name="fahrplan-csv",
    ),
    path(
        "fahrplan/<fahrplan_token:token>/loeschen/",
        views.FahrplanDeleteView.as_view(),
        name="fahrplan-delete",
    ),
]

# The Fahrplan tools (selfcheck/tool_views.py) and the blank templates (selfcheck/documents/).
urlpatterns += [
    path(
        "fahrplan/<fahrplan_token:token>/zeitplan/",
        tool_views.ScheduleView.as_view(),
        name="fahrplan-zeitplan",
    ),
    path(
        "fahrplan/<fahrplan_token:token>/zeitplan.ics",
        tool_views.CalendarView.as_view(),
        name="fahrplan-ics",
    ),
    path(
        "fahrplan/<fahrplan_token:token>/entscheidungen/",
        tool_views.DecisionsView.as_view(),
        name="fahrplan-entscheidungen",
    ),
    path(
        "fahrplan/<fahrplan_token:token>/dokumente/",
        tool_views.DocumentsView.as_view(),
        name="fahrplan-dokumente",
    ),
    path(
        "fahrplan/<fahrplan_token:token>/dokumente/<slug:slug>.<document_format:format>",
        tool_views.DocumentDownloadView.as_view(),
        name="fahrplan-dokument",
    ),
    path("vorlagen/", document_views.VorlagenView.as_view(), name="vorlagen"),
    path(
        "vorlagen/<slug:slug>.<document_format:format>",
        document_views.BlankDownloadView.as_view(),
        name="vorlage-datei",
    ),
]
