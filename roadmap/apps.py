from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Seiten und Glossar"

    def ready(self):
        # Content changes invalidate the page cache (roadmap/cache.py).
        from . import cache

        cache.connect_signals()
