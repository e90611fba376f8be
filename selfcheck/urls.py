from django.urls import path, register_converter

from . import views
from .models import TOKEN_PATTERN

app_name = "selfcheck"


class FahrplanTokenConverter:
    """Only strings shaped like a token reach the views; everything else is a plain 404."""

    regex = TOKEN_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FahrplanTokenConverter, "fahrplan_token")

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
