from django.apps import AppConfig


class SelfcheckConfig(AppConfig):
    name = "selfcheck"
    verbose_name = "Selbstcheck"

    def ready(self):
        from phases import page_sections

        from . import snapshots
        from .documents.page_section import vorlagen_links

        snapshots.connect()
        page_sections.register(vorlagen_links)
