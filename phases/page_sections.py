"""Sections that apps above `phases` add to phase and criterion pages.

`phases` must not import the feature apps built on it (tests/test_architecture.py), yet a
feature such as the Fahrplan's document templates belongs on a criterion's page. The feature
registers a function here in its AppConfig.ready(); the page renders whatever is registered
(`{% page_sections phase %}`), in registration order.
"""

from collections.abc import Callable

from django.db.models import Model
from django.utils.html import format_html_join

SectionRenderer = Callable[[Model], str]

_renderers: list[SectionRenderer] = []


def register(renderer: SectionRenderer) -> None:
    """Add a section: `renderer(obj)` returns safe HTML for a Phase or Criterion, or ""."""
    if renderer not in _renderers:
        _renderers.append(renderer)


def render(obj: Model) -> str:
    return format_html_join("", "{}", ((renderer(obj),) for renderer in _renderers))
