"""Seeding that never overwrites editors' work, and the "Ausgangsfassung" of every entry.

``seed_missing`` adds the entries of ``fixtures/`` that the database does not have yet (by
natural key, or by primary key for rows without one) and leaves every existing entry as it
is; it reports what it skipped. ``ensure_initial_revisions`` gives every content entry that has
no revision yet one revision "Ausgangsfassung", so the first edit can be compared and undone.
Both are idempotent; ``make run`` and ``make serve`` run them on every start.
"""

from collections import Counter
from dataclasses import dataclass, field

import reversion
from django.core import serializers
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from reversion.models import Version

from editorial.editorial_groups import CONTENT_MODELS

INITIAL_COMMENT = "Ausgangsfassung"
BEFORE_OVERWRITE_COMMENT = "Vor dem Zurücksetzen auf die mitgelieferte Fassung gesichert."
AFTER_OVERWRITE_COMMENT = "Auf die mitgelieferte Fassung zurückgesetzt."


@dataclass
class SeedReport:
    added: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    failed: list = field(default_factory=list)  # [(model label, entry, reason), …]
    overwritten: int = 0

    @property
    def total_added(self):
        return sum(self.added.values())

    @property
    def total_skipped(self):
        return sum(self.skipped.values())


def _label(model):
    return str(model._meta.verbose_name_plural)


def _exists(obj):
    return obj.pk is not None and type(obj)._base_manager.filter(pk=obj.pk).exists()


def seed_missing(paths):
    """Add the fixture entries that are missing; never change an existing one."""
    report = SeedReport()
    deferred = []
    added_models = set()
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            objects = serializers.deserialize(
                "yaml", stream, handle_forward_references=True, ignorenonexistent=True
            )
            for item in objects:
                model = type(item.object)
                if _exists(item.object):
                    report.skipped[_label(model)] += 1
                    continue
                try:
                    with transaction.atomic():
                        item.save()
                except IntegrityError as error:
                    # e.g. an editor renamed the slug but kept the title: keep theirs.
                    report.failed.append((_label(model), str(item.object), str(error)))
                    continue
                report.added[_label(model)] += 1
                added_models.add(model)
                if item.deferred_fields:
                    deferred.append(item)
    for item in deferred:
        item.save_deferred_fields()
    reset_sequences(added_models)
    return report


def reset_sequences(models):
    """Fixture rows carry their own keys; on PostgreSQL the key sequences must move past them
    (as ``loaddata`` does), or the next row an editor adds collides with a shipped one."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def existing_fixture_objects(paths):
    """The database rows that fixture entries would overwrite."""
    found = []
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            for item in serializers.deserialize(
                "yaml", stream, handle_forward_references=True, ignorenonexistent=True
            ):
                obj = item.object
                if _exists(obj):
                    found.append(type(obj)._base_manager.get(pk=obj.pk))
    return found


def record_revisions(objects, comment):
    """One revision per entry (restoring one never touches another)."""
    for obj in objects:
        if not reversion.is_registered(type(obj)):
            continue
        with reversion.create_revision():
            reversion.set_comment(comment)
            reversion.add_to_revision(obj)


def content_models():
    from django.apps import apps

    return [apps.get_model(app_label, model_name) for app_label, model_name in CONTENT_MODELS]


def ensure_initial_revisions():
    """Give every content entry without any revision its "Ausgangsfassung"; returns the count.

    Entries that already appear in a revision (also as an inline of another entry) are left
    alone, so running it again adds nothing.
    """
    created = 0
    with transaction.atomic():
        for model in content_models():
            if not reversion.is_registered(model):
                continue
            versions = Version.objects.get_for_model(model)
            versioned = set(versions.values_list("object_id", flat=True))
            missing = [
                obj for obj in model._base_manager.order_by("pk") if str(obj.pk) not in versioned
            ]
            record_revisions(missing, INITIAL_COMMENT)
            created += len(missing)
    return created
