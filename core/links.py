"""Addresses of content pages and the page frame without a full ``reverse()`` per link.

A page links to dozens of criteria, examples and phases; each ``reverse()`` walks Django's
resolver. Their addresses differ only in the slug, so the pattern is reversed once per view
name (and URL configuration) and the slug is put in. The script prefix (an installation below
a sub-path) is added per call, as ``reverse()`` does. Slugs are URL-safe by their field type.
"""

from functools import cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "slug-platzhalter-0"


@cache
def _pattern(viewname, urlconf):
    prefix = get_script_prefix()
    address = reverse(viewname, urlconf=urlconf, kwargs={"slug": _MARKER})
    before, after = address.removeprefix(prefix).split(_MARKER)
    return before, after


def slug_url(viewname, slug):
    """The same as ``reverse(viewname, kwargs={"slug": slug})`` for a valid slug."""
    before, after = _pattern(viewname, get_urlconf())
    return f"{get_script_prefix()}{before}{slug}{after}"


@cache
def _fixed(viewname, args, urlconf):
    return reverse(viewname, urlconf=urlconf, args=args).removeprefix(get_script_prefix())


def fixed_url(viewname, *args):
    """The same as ``reverse(viewname, args=args)``, reversed once per process: for the
    addresses every page links to (navigation, footer), which never change while it runs.
    Unlike ``{% url %}`` it ignores the request's current app: each namespace of this project
    is installed once."""
    return f"{get_script_prefix()}{_fixed(viewname, args, get_urlconf())}"


def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _pattern.cache_clear()
        _fixed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="core-links-urlconf")
