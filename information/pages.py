"""Views for the information pages and for robots.txt."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from core.preview import DraftPreviewMixin

from .models import Page


class PageView(DraftPreviewMixin, DetailView):
    template_name = "roadmap/page.html"
    context_object_name = "page"

    def get_queryset(self):
        return self.visible(Page.objects.all())


@require_safe
def robots_txt(request):
    """Allow everything but personal Fahrpläne and point crawlers to the sitemap.

    The admin path is deliberately not listed: DJANGO_ADMIN_URL may keep it unpublished.
    """
    lines = [
        "User-agent: *",
        "Disallow: /fahrplan/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
