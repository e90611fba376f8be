from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def sync_editorial_groups(sender, apps=global_apps, using="default", **kwargs):
    # flush sends post_migrate without ``apps``; a partial migrate (``migrate phases 0003``
    # on an empty database) may end before the auth tables exist.
    from django.db import connections

    from .editorial_groups import ensure_editorial_groups

    if "auth_group" in connections[using].introspection.table_names():
        ensure_editorial_groups(apps)


class EditorialConfig(AppConfig):
    """The editors' tools every content admin builds on: versioned admin base classes,
    optimistic locking, refused deletes, Markdown widgets, editorial groups, accounts."""

    name = "editorial"
    verbose_name = "Redaktion"

    def ready(self):
        # After every migrate the groups get exactly the rights of the current matrix, so a
        # new content model needs no hand-written data migration for them.
        post_migrate.connect(sync_editorial_groups, sender=self, dispatch_uid="editorial-groups")
