from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared library: publication state, Markdown, pagination, facets, page cache, outage
    page, client address. It imports no other app of this project."""

    name = "core"
    verbose_name = "Grundlagen"

    def ready(self):
        # Content changes invalidate the page cache (core/cache.py).
        from django.db.models.signals import post_migrate

        from . import cache, checks, lookups  # noqa: F401 (checks: registers deploy checks)

        cache.connect_signals()
        # Small lookup tables per content state (core/lookups.py); migrations may change content.
        lookups.connect_signals()
        post_migrate.connect(bump_after_migrate, sender=self, dispatch_uid="lookups-migrate")

        # Stored Markdown HTML follows a changed pipeline after every migrate.
        from .stored_markdown import render_after_migrate

        post_migrate.connect(render_after_migrate, dispatch_uid="stored-markdown-after-migrate")


def bump_after_migrate(using, **kwargs):
    from . import lookups

    lookups.bump(using)
