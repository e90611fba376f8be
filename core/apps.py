from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared library: publication state, Markdown, pagination, facets, page cache, outage
    page, client address. It imports no other app of this project."""

    name = "core"
    verbose_name = "Grundlagen"

    def ready(self):
        # Content changes invalidate the page cache (core/cache.py).
        from . import cache

        cache.connect_signals()
