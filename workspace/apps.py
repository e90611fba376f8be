from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The editors' workspace on top of the content: the content check (page and command) and
    the commands that load and generate content."""

    name = "workspace"
    verbose_name = "Redaktionsarbeitsplatz"

    def ready(self):
        from django.contrib import admin

        from . import admin_views

        admin.site.add_view("inhaltspruefung/", admin_views.content_check, "content_check")
