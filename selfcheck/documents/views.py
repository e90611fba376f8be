"""/vorlagen/: the blank document templates, and each one as DOCX or ODT without a Fahrplan."""

from django.shortcuts import get_object_or_404
from django.views.generic import ListView, View

from ..tool_views import WRITERS, file_response
from .content import build_blocks
from .models import Vorlage


class VorlagenView(ListView):
    template_name = "selfcheck/vorlagen.html"
    context_object_name = "vorlagen"

    def get_queryset(self):
        return Vorlage.objects.published().defer("body")


class BlankDownloadView(View):
    def get(self, request, slug, format):
        vorlage = get_object_or_404(Vorlage.objects.published(), slug=slug)
        write, content_type = WRITERS[format]
        content = write(build_blocks(vorlage), vorlage.title)
        return file_response(content, content_type, f"{vorlage.slug}.{format}")
