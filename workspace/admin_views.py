"""The content check as a page of the editors' admin (added in ``WorkspaceConfig.ready``
behind ``admin_view``: staff only, never cached)."""

from django.template.response import TemplateResponse

from phases.models import Criterion

from .integrity import content_problems


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
