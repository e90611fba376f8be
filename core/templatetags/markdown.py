from django import template

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source):
    """Render editor Markdown as sanitized HTML: ``{{ criterion.body|markdown }}``."""
    return render_markdown(str(source or ""))
