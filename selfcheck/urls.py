from django.urls import path

from core.converters import register_pattern_converter

from . import views
from .models import TOKEN_PATTERN

app_name = "selfcheck"


# Only strings shaped like a token reach the views; everything else is a plain 404.
register_pattern_converter("fahrplan_token", TOKEN_PATTERN)

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
