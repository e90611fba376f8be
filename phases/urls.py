from django.urls import path

from . import explorer, views

app_name = "phases"

urlpatterns = [
    path("uebersicht/", views.OverviewView.as_view(), name="overview"),
    path("phasen/<slug:slug>/", views.PhaseDetailView.as_view(), name="phase-detail"),
    path("kriterien/", explorer.CriterionExplorerView.as_view(), name="criterion-list"),
    path("kriterien/<slug:slug>/", views.CriterionDetailView.as_view(), name="criterion-detail"),
    path("betreibermodelle/", views.OperatorModelListView.as_view(), name="operator-model-list"),
    path(
        "betreibermodelle/<slug:slug>/",
        views.OperatorModelDetailView.as_view(),
        name="operator-model-detail",
    ),
]
