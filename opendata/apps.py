from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Offene Daten"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
