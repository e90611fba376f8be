"""The editors' admin site: German titles, content grouped by topic, two extra pages.

Installed through ``editorial.admin_apps.EditorialAdminConfig`` (see settings), so
``django.contrib.admin.site`` is an instance of this class and every ``admin.register`` lands
here.
"""

from functools import partial

from django.contrib import admin
from django.urls import path

# Sections of the admin index and sidebar: (name, models as "app_label.model_name").
SECTIONS = (
    (
        "Roadmap",
        (
            "phases.phase",
            "phases.milestone",
            "phases.criterion",
            "phases.crossreference",
            "phases.workstream",
            "phases.scalingdriver",
            "phases.stakeholder",
            "phases.operatormodel",
        ),
    ),
    ("Praxis", ("examples.practiceexample", "examples.resource", "examples.source")),
    ("Seiten", ("roadmap.page", "roadmap.glossaryterm", "selfcheck.vorlage")),
    (
        "Benutzer",
        (
            "auth.user",
            "auth.group",
            "axes.accessattempt",
            "axes.accessfailurelog",
            "axes.accesslog",
        ),
    ),
)


def group_app_list(app_list, sections=SECTIONS):
    """Regroup Django's per-app list into ``sections``; models of other apps keep their app."""
    entries = {}
    for app in app_list:
        for model in app["models"]:
            entries[model["model"]._meta.label_lower] = (app, model)
    grouped = []
    for name, labels in sections:
        present = [entries.pop(label) for label in labels if label in entries]
        if present:
            first_app = present[0][0]
            grouped.append(
                {
                    **first_app,
                    "name": name,
                    "app_label": first_app["app_label"],
                    "models": [model for _, model in present],
                }
            )
    remaining = {id(model) for _, model in entries.values()}
    for app in app_list:
        models = [model for model in app["models"] if id(model) in remaining]
        if models:
            grouped.append({**app, "models": models})
    return grouped


class EditorialAdminSite(admin.AdminSite):
    site_header = "Skalierungsroadmap – Redaktion"
    site_title = "Skalierungsroadmap"
    index_title = "Inhalte pflegen"

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        return app_list if app_label else group_app_list(app_list)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._extra_views = []

    def add_view(self, route, view, name):
        """Adds a staff-only page, e.g. from an app on top of the content (its ``ready()``);
        the view is called with ``admin_site=self``."""
        self._extra_views.append((route, view, name))

    def get_urls(self):
        from . import review_views
        from .markdown_preview import markdown_preview

        review_pages = (
            ("freigaben/", review_views.pending_list, "review_list"),
            ("freigaben/<int:pk>/", review_views.change_detail, "review_change"),
            ("pruefung-faellig/", review_views.due_list, "review_due"),
        )
        return [
            *(
                path(route, self.admin_view(partial(view, admin_site=self)), name=name)
                for route, view, name in (*review_pages, *self._extra_views)
            ),
            path(
                "markdown-vorschau/",
                self.admin_view(markdown_preview),
                name="markdown_preview",
            ),
            *super().get_urls(),
        ]
