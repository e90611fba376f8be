from django.urls import path

from . import views

app_name = "examples"

urlpatterns = [
    path("beispiele/", views.ExampleListView.as_view(), name="example-list"),
    path("beispiele/<slug:slug>/", views.ExampleDetailView.as_view(), name="example-detail"),
    path("ressourcen/", views.ResourceListView.as_view(), name="resource-list"),
]
