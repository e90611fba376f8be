"""Markdown rendered when it is saved: sanitized HTML stored beside its source.

A model declares one column per Markdown field::

    body = models.TextField(...)
    body_html = StoredMarkdownField(source="body")

and inherits ``StoredMarkdownMixin`` (every ``Publishable`` does). Templates then print
``{{ criterion.body_html }}`` instead of rendering ``criterion.body|markdown`` on every request.
The column always holds ``render_markdown(source)`` – the one sanitizing pipeline – because it is
filled on every way a row is written in this project:

- ``save()``, also with ``update_fields`` or deferred columns (the HTML column is added);
- raw saves, which skip ``save()``: ``loaddata``, ``load_content`` and django-reversion's
  restores (``pre_save`` with ``raw=True``), so a restored or reviewed text brings its own HTML;
- ``bulk_create`` sends no signal: call ``render_stored_markdown(obj)`` on each object first.

The column is derived data: not editable in the admin, not serialized (so it is absent from
dumps, fixtures, revisions and the review diff), and read back as safe HTML. After a change to
the pipeline (``core/markdown.py``), every ``migrate`` stores the new HTML of each row whose
HTML changed (``post_migrate``); ``manage.py render_markdown`` does the same on demand.
"""

from functools import cache

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.signals import pre_save
from django.utils.safestring import mark_safe

from .markdown import render_markdown


class StoredMarkdownField(models.TextField):
    """Sanitized HTML of the Markdown in ``source``, written only by the pipeline."""

    def __init__(self, *args, source=None, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("serialize", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # Migrations see a plain TextField: they must not import application code.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs

    def from_db_value(self, value, expression, connection):
        # Only render_markdown (nh3 with the allow-list) ever writes this column.
        return mark_safe(value) if value is not None else value


@cache
def stored_markdown_fields(model):
    """``model``'s stored HTML columns (fixed once models are loaded)."""
    return tuple(
        field for field in model._meta.concrete_fields if isinstance(field, StoredMarkdownField)
    )


def render_stored_markdown(obj, update_fields=None):
    """Fill ``obj``'s HTML columns from its loaded Markdown; returns the names written.

    Sources that are deferred (not loaded) or outside ``update_fields`` are left alone: they
    are not being saved, so their stored HTML stays right.
    """
    fields = stored_markdown_fields(type(obj))
    if not fields:
        return []
    deferred = obj.get_deferred_fields()
    written = []
    for field in fields:
        skipped = update_fields is not None and field.source not in update_fields
        if skipped or field.source in deferred:
            continue
        setattr(obj, field.attname, render_markdown(getattr(obj, field.source) or ""))
        written.append(field.name)
    return written


class StoredMarkdownMixin:
    """Renders the Markdown of the row on every ``save()`` (see the module docstring)."""

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        written = render_stored_markdown(self, update_fields)
        if update_fields is not None and written:
            kwargs["update_fields"] = {*update_fields, *written}
        super().save(*args, **kwargs)


def _render_on_raw_save(sender, instance, raw=False, update_fields=None, **kwargs):
    # Deserialization (fixtures, reversion restores) calls save_base() and skips save().
    if raw:
        render_stored_markdown(instance, update_fields)


pre_save.connect(_render_on_raw_save, dispatch_uid="stored-markdown-raw-save")


def render_again(model, using=DEFAULT_DB_ALIAS):
    """Render the Markdown of every row of ``model`` again and store the HTML that changed;
    returns the number of rows written. Time stamps and history stay as they are."""
    fields = stored_markdown_fields(model)
    names = [name for field in fields for name in (field.source, field.name)]
    rows = []
    for row in model._base_manager.using(using).only("pk", *names).order_by("pk"):
        before = [getattr(row, field.name) for field in fields]
        render_stored_markdown(row)
        if before != [getattr(row, field.name) for field in fields]:
            rows.append(row)
    if rows:
        model._base_manager.using(using).bulk_update(
            rows, [field.name for field in fields], batch_size=200
        )
        # bulk_update sends no signals: lookup tables and cached pages must follow by hand.
        from . import cache, lookups

        lookups.bump(using)
        cache.bump_generation()
    return len(rows)


def render_all_stored_markdown(using=DEFAULT_DB_ALIAS):
    """``render_again`` for every model (after a change to the pipeline or to
    ``ALLOWED_TAGS``). Returns {model label: rows written}."""
    return {
        model._meta.label: render_again(model, using)
        for model in global_apps.get_models()
        if stored_markdown_fields(model)
    }


def render_after_migrate(app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate: bring the app's stored HTML up to the current pipeline.

    Every deployment runs ``migrate``, so a changed pipeline reaches every row without anyone
    having to remember ``render_markdown``; rows whose HTML is current are not written.
    Skipped while the migrations have not (or no longer) created the HTML columns.
    """
    for model in app_config.get_models():
        fields = stored_markdown_fields(model)
        if not fields:
            continue
        try:
            state_model = apps.get_model(model._meta.label)
        except LookupError:  # the app was migrated back to zero
            continue
        columns = {field.name for field in state_model._meta.concrete_fields}
        if {field.name for field in fields} <= columns:
            render_again(model, using)
