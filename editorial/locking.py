"""Optimistic locking for admin forms, without an extra column.

The change form carries the ``updated_at`` of the copy the editor opened (a hidden field). On
saving, the form compares it with the row in the database; if someone saved in between, the
save is refused with a message naming who changed the entry and when, instead of silently
overwriting the other person's work. Inside the admin's transaction the row is locked while
comparing (``SELECT … FOR UPDATE`` on PostgreSQL), so two saves cannot both pass the check.
"""

from datetime import UTC, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone
from django.utils.formats import date_format
from reversion.errors import RevertError
from reversion.models import Version

LOCK_FIELD = "bearbeitungsstand"


def lock_token(value):
    """A stable text form of a timestamp, independent of the database's time zone handling."""
    return value.astimezone(UTC).isoformat() if value else ""


def has_lock(model):
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)


def stored_updated_at(instance):
    """The row's current ``updated_at``, locked for the rest of the transaction if possible."""
    model = type(instance)
    using = router.db_for_write(model)
    rows = model._base_manager.using(using).filter(pk=instance.pk).order_by()
    if connections[using].in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("updated_at", flat=True).first()


def last_editor(instance, updated_at):
    """Display name of whoever saved ``updated_at``, if the revision history knows it."""
    version = Version.objects.get_for_object(instance).select_related("revision__user").first()
    if version is None or version.revision.user is None:
        return None
    try:
        saved = version.field_dict.get("updated_at")
    except RevertError:  # the stored version no longer fits the model
        return None
    # Versions are stored as JSON with millisecond precision.
    if saved is None or abs(saved - updated_at) >= timedelta(milliseconds=1):
        return None  # changed outside the admin, e.g. by loading the content files
    user = version.revision.user
    return user.get_full_name() or user.get_username()


def conflict_message(instance, updated_at):
    when = date_format(timezone.localtime(updated_at), "j. F Y, H:i:s")
    editor = last_editor(instance, updated_at)
    who = f"von {editor} " if editor else ""
    return (
        f"„{instance}“ wurde inzwischen {who}geändert (am {when} Uhr). Ihre Änderungen wurden "
        "nicht gespeichert, damit nichts überschrieben wird. Öffnen Sie den Eintrag bitte in "
        "einem neuen Tab, übertragen Sie Ihre Änderungen in die aktuelle Fassung und speichern "
        "Sie dann erneut."
    )


MISSING_TOKEN_MESSAGE = (
    "Das Formular ist unvollständig: Es fehlt die Angabe, welche Fassung Sie bearbeitet haben. "
    "Ihre Änderungen wurden nicht gespeichert, damit nichts überschrieben wird, was andere "
    "inzwischen gespeichert haben. Bitte laden Sie den Eintrag neu und speichern Sie erneut."
)


class OptimisticLockMixin(forms.Form):
    """For model forms of models with ``updated_at``: refuse saves based on an outdated copy."""

    bearbeitungsstand = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and has_lock(self._meta.model):
            self.initial[LOCK_FIELD] = lock_token(self.instance.updated_at)

    def clean(self):
        cleaned_data = super().clean()
        loaded = cleaned_data.get(LOCK_FIELD)
        if self.instance.pk is not None and has_lock(self._meta.model):
            # The admin always sends it; without it nothing could be checked, so nothing is saved.
            if not loaded:
                raise ValidationError(MISSING_TOKEN_MESSAGE, code="edit_token_missing")
            current = stored_updated_at(self.instance)
            if current is not None and lock_token(current) != loaded:
                raise ValidationError(
                    conflict_message(self.instance, current), code="edit_conflict"
                )
        return cleaned_data
