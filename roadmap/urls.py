import os

from django.contrib import admin
from django.urls import include, path

from core.health import health
from information import views
from search.views import SearchView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("einfuehrung/", views.IntroductionView.as_view(), name="introduction"),
    path("glossar/", views.GlossaryView.as_view(), name="glossary"),
    path("suche/", SearchView.as_view(), name="search"),
    path("health/", health, name="health"),
    path("", include("information.urls")),
    path("", include("phases.urls")),
    path("", include("examples.urls")),
    path("", include("selfcheck.urls")),
    path("", include("opendata.urls")),
    path(os.environ.get("DJANGO_ADMIN_URL", "admin/"), admin.site.urls),
]
