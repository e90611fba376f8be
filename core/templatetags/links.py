from django import template

from core.links import fixed_url

register = template.Library()


@register.simple_tag(name="fixed_url")
def fixed_url_tag(viewname, *args):
    """``{% url viewname arg … %}`` for addresses without a slug of content, reversed once per
    process (core/links.py): ``{% fixed_url 'page' 'impressum' %}``."""
    return fixed_url(viewname, *args)
