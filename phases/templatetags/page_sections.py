from django import template

from ..page_sections import render as render_sections

register = template.Library()


@register.simple_tag
def page_sections(obj):
    """The sections other apps registered for phase and criterion pages (phases/page_sections)."""
    return render_sections(obj)
