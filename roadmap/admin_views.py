"""Extra pages of the editors' admin: the content check and the Markdown preview endpoint.

Both are wired in ``roadmap.admin_site.EditorialAdminSite.get_urls`` behind
``admin_view``: staff only, CSRF-protected, never cached.
"""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from phases.models import Criterion

from .integrity import content_problems
from .markdown import render_markdown

MAX_PREVIEW_CHARS = 100_000


def content_check(request, admin_site):
    """What `manage.py check_content` reports, as a page for editors."""
    problems = content_problems()
    errors = [p.message for p in problems if p.level == "error"]
    warnings = [p.message for p in problems if p.level == "warning"]
    grid = Criterion.objects.published().phase_workstream_grid()
    context = {
        **admin_site.each_context(request),
        "title": "Inhaltsprüfung",
        "errors": errors,
        "warnings": warnings,
        "grid": grid,
        "workstreams": [ws for ws, _ in grid[0][1]] if grid else [],
    }
    return TemplateResponse(request, "admin/content_check.html", context)


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
