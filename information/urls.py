"""Editable information pages (Impressum, Datenschutz, …), sitemap.xml and robots.txt."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from core.converters import register_pattern_converter

from . import pages
from .models import INFORMATION_PAGE_SLUGS
from .sitemaps import SITEMAPS

# Only the fixed page addresses match, so /irgendwas/ stays a 404.
register_pattern_converter("information_page", "|".join(INFORMATION_PAGE_SLUGS))

urlpatterns = [
    path("<information_page:slug>/", pages.PageView.as_view(), name="page"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS, "template_name": "roadmap/sitemap.xml"},
        name="sitemap",
    ),
    path("robots.txt", pages.robots_txt, name="robots-txt"),
]
