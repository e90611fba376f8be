from django.apps import AppConfig


class SelfcheckConfig(AppConfig):
    name = "selfcheck"
    verbose_name = "Selbstcheck"

    def ready(self):
        from . import snapshots

        snapshots.connect()
