from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Suche"

    def ready(self):
        # Saves refresh the stored search vectors; migrate fills missing ones (search/index.py).
        from . import index

        index.connect_signals(self)
