"""The Markdown preview endpoint of the editors' admin (staff only, CSRF-protected, wired in
``editorial.admin_site.EditorialAdminSite.get_urls``)."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from core.markdown import render_markdown

MAX_PREVIEW_CHARS = 100_000


@require_POST
def markdown_preview(request):
    """The sanitized HTML of the posted Markdown, exactly as a public page would show it."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        return JsonResponse(
            {
                "error": f"Der Text ist für die Vorschau zu lang (höchstens {MAX_PREVIEW_CHARS:,} "
                "Zeichen).".replace(",", ".")
            },
            status=400,
        )
    return JsonResponse({"html": str(render_markdown(text))})
