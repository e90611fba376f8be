"""sitemap.xml: every public page, never a draft, in one query per content type."""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from examples.models import PracticeExample
from phases.models import Criterion, OperatorModel, Phase

from .models import INFORMATION_PAGE_SLUGS, Page


class ListPagesSitemap(Sitemap):
    """The start page and the overview lists; they have no single modification date."""

    url_names = [
        "home",
        "introduction",
        "phases:overview",
        "phases:criterion-list",
        "examples:example-list",
        "phases:operator-model-list",
        "examples:resource-list",
        "glossary",
        "selfcheck:selfcheck",
        "opendata:index",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class PublishedContentSitemap(Sitemap):
    """Published rows of one model, loaded once per request with only the fields needed."""

    fields = ("slug", "updated_at")

    def get_queryset(self):
        raise NotImplementedError

    @cached_property
    def _published(self):
        # A list, not a queryset: Django's paginator would otherwise count and slice it
        # in two queries, and get_latest_lastmod() would run it again.
        return list(self.get_queryset().only(*self.fields))

    def items(self):
        return self._published

    def lastmod(self, item):
        return item.updated_at


class PhaseSitemap(PublishedContentSitemap):
    def get_queryset(self):
        # Only the phase groups have pages; sub-phases are anchors on them.
        return Phase.objects.published().groups().order_by("tree_id")

    fields = ("slug", "updated_at", "parent")


class CriterionSitemap(PublishedContentSitemap):
    def get_queryset(self):
        return Criterion.objects.published().order_by("slug")


class PracticeExampleSitemap(PublishedContentSitemap):
    def get_queryset(self):
        return PracticeExample.objects.published().order_by("slug")


class OperatorModelSitemap(PublishedContentSitemap):
    def get_queryset(self):
        return OperatorModel.objects.published().order_by("slug")


class PageSitemap(PublishedContentSitemap):
    def get_queryset(self):
        return Page.objects.published().filter(slug__in=INFORMATION_PAGE_SLUGS).order_by("slug")


# Classes, not instances: the sitemap view instantiates them per request, so the cached
# item lists never outlive a request.
SITEMAPS = {
    "listen": ListPagesSitemap,
    "phasen": PhaseSitemap,
    "kriterien": CriterionSitemap,
    "beispiele": PracticeExampleSitemap,
    "betreibermodelle": OperatorModelSitemap,
    "seiten": PageSitemap,
}
