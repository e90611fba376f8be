from django.urls import path

from . import views
from .api import urls as api_urls

app_name = "opendata"

urlpatterns = [
    path("daten/", views.OpenDataView.as_view(), name="index"),
    path("daten/skalierungsroadmap.json", views.JsonDownloadView.as_view(), name="json"),
    path("daten/<slug:name>.csv", views.CsvDownloadView.as_view(), name="csv"),
    path("api/v1/", api_urls()),
]
