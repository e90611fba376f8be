"""Editable information pages (Impressum, Datenschutz, …), sitemap.xml and robots.txt."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from . import pages
from .models import INFORMATION_PAGE_SLUGS
from .sitemaps import SITEMAPS


class InformationPageSlugConverter:
    """Matches only the fixed page addresses, so /irgendwas/ stays a 404."""

    regex = "|".join(INFORMATION_PAGE_SLUGS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(InformationPageSlugConverter, "information_page")

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
