"""The editors' admin: shared behaviour of every content admin, and the editors' accounts.

Every content admin derives from ``VersionedAdmin`` (revision history with comparison,
restore and recovery of deleted entries, optimistic locking, Markdown help and preview,
deletes refused while anything still refers to the entry); content with a publication state
from ``PublishableAdmin`` (publish/unpublish, only for users with ``publish_<model>``).
Groups and their rights: ``editorial.editorial_groups``.
"""

from contextlib import nullcontext

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion_compare.admin import CompareVersionAdmin

from core.publishing import Status

from .admin_compat import ExistingObjectHistoryMixin, SafeInitialDataMixin
from .admin_forms import (
    EditorialInlineFormSet,
    EditorialModelForm,
    MarkdownTextarea,
    TextWithUnixLineEnds,
)
from .editorial_groups import CHEFREDAKTION, REDAKTION
from .locking import LOCK_FIELD, has_lock
from .references import kept_rows_notes, m2m_references
from .reversion_private import RestoreWithoutDeletingMixin
from .review_admin import ReviewAdminMixin
from .revisions import STATUS_BEFORE_RESTORE, has_status, object_revision


def can_publish(request, model):
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


class EditorialFormsMixin:
    """Form behaviour shared by admins and inlines: lock field, Markdown, status rights."""

    form = EditorialModelForm
    markdown_fields = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownTextarea(attrs={"class": "vLargeTextField"})
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", TextWithUnixLineEnds)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not has_lock(self.model) or LOCK_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], LOCK_FIELD]}), *rest]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if has_status(self.model) and not can_publish(request, self.model):
            readonly.append("status")
        return readonly


class EditorialStackedInline(EditorialFormsMixin, admin.StackedInline):
    formset = EditorialInlineFormSet


class EditorialTabularInline(EditorialFormsMixin, admin.TabularInline):
    formset = EditorialInlineFormSet


class VersionedAdmin(
    RestoreWithoutDeletingMixin,
    ExistingObjectHistoryMixin,
    SafeInitialDataMixin,
    EditorialFormsMixin,
    CompareVersionAdmin,
):
    """Revision history, locking and guarded deletes for every content admin."""

    history_latest_first = True

    class Media:
        css = {"all": ["css/admin.css"]}

    # --- Deleting ------------------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        """Also refuse deletes while content links here through a many-to-many field."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            protected.extend(
                reference.describe(self.admin_site, request.user)
                for reference in m2m_references(obj)
            )
        model_count.update(kept_rows_notes(self.model, objs))
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        self._save_before_deleting(request, obj, "Vor dem Löschen gesichert.")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._save_before_deleting(request, obj, "Vor dem Löschen (Mehrfachauswahl) gesichert.")
            obj.delete()

    def _save_before_deleting(self, request, obj, comment):
        # django-reversion only stores versions of rows that still exist when the revision
        # ends, so the last state (with the links the entry owns) is saved before deleting;
        # "Gelöschte … wiederherstellen" recovers from it.
        with object_revision(request, comment):
            reversion.add_to_revision(obj)

    # --- Saving outside the change form -----------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        # django-reversion wraps the whole list page in one revision, so a bulk action would
        # put all selected entries into it, and restoring one of them would reset all others.
        # Actions, list edits and bulk deletes here create one revision per entry instead.
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        return super(VersionAdmin, self).changelist_view(request, context)

    def save_model(self, request, obj, form, change):
        revision = nullcontext() if reversion.is_active() else object_revision(request)
        with revision:
            super().save_model(request, obj, form, change)


class PublishableAdmin(ReviewAdminMixin, VersionedAdmin):
    """Content with a draft/published state; publishing needs ``<app>.publish_<model>``.

    Edits of published entries by people without that right wait for review
    (``editorial.review_admin``)."""

    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not can_publish(request, self.model):
            if not change:
                obj.status = Status.DRAFT
            elif hasattr(request, STATUS_BEFORE_RESTORE):
                obj.status = getattr(request, STATUS_BEFORE_RESTORE) or Status.DRAFT
        super().save_model(request, obj, form, change)

    @admin.action(description="Ausgewählte veröffentlichen", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "veröffentlicht")

    @admin.action(description="Ausgewählte auf Entwurf setzen", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "auf Entwurf gesetzt")

    def has_publish_permission(self, request):
        return can_publish(request, self.model)

    def _set_status(self, request, queryset, status, verb):
        changed = 0
        for obj in queryset:
            if obj.status == status:
                continue
            with object_revision(request, f"{verb.capitalize()}."):
                obj.status = status
                obj.save(update_fields=["status"])
            changed += 1
        unchanged = f" ({queryset.count() - changed} waren es schon)" if changed else ""
        self.message_user(request, f"{changed} Einträge {verb}{unchanged}.", messages.SUCCESS)


class TreeAdminMixin:
    """DraggableMPTTAdmin indents with an inline style, which the CSP blocks; use classes."""

    mptt_max_indent_level = 5

    @admin.display(description="Name")
    def indented_title(self, item):
        level = min(item._mpttfield("level"), self.mptt_max_indent_level)
        return format_html('<span class="tree-title tree-title--level-{}">{}</span>', level, item)


# --- Editors' accounts ------------------------------------------------------------------------

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class EditorAccountAdmin(UserAdmin):
    """„Chefredaktion“ manages editors' accounts but can neither create nor touch superusers."""

    list_filter = ["is_active", "is_staff", "groups"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=[REDAKTION, CHEFREDAKTION])
        return super().formfield_for_manytomany(db_field, request, **kwargs)
