from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Seiten und Glossar"

    def ready(self):
        # Content changes invalidate the page cache (roadmap/cache.py) and refresh the stored
        # search vectors (roadmap/search_index.py).
        from . import cache, search_index

        cache.connect_signals()
        search_index.connect_signals(self)
