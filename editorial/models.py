"""A change to published content that waits for review ("Änderung zur Freigabe").

(This module also makes Django send this app the ``post_migrate`` signal, after which the
editor groups get their current rights, see ``editorial.apps``.)

The live row stays untouched; the proposed state is stored as django-reversion's serialized
versions of the entry and everything its admin follows (inlines, many-to-many links), exactly
as a revision would hold them. ``editorial/review.py`` captures, applies and compares them.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class PendingChangeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=PendingChange.State.PENDING)

    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def for_object(self, obj):
        return self.for_model(type(obj)).filter(object_id=str(obj.pk))

    def for_list(self):
        return self.select_related("content_type", "author", "reviewer").order_by("created_at")


class PendingChange(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "wartet auf Freigabe"
        APPROVED = "approved", "freigegeben"
        REJECTED = "rejected", "abgelehnt"

    content_type = models.ForeignKey(
        ContentType, verbose_name="Inhaltsart", on_delete=models.CASCADE
    )
    object_id = models.CharField("Schlüssel des Eintrags", max_length=191)
    object_repr = models.CharField("Eintrag", max_length=200)
    versions = models.JSONField("vorgeschlagene Fassung", default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Autorin oder Autor",
        on_delete=models.SET_NULL,
        null=True,
        related_name="pending_changes",
    )
    last_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="zuletzt bearbeitet von",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("angelegt", auto_now_add=True)
    updated_at = models.DateTimeField("zuletzt bearbeitet", auto_now=True)
    base_updated_at = models.DateTimeField(
        "Stand der veröffentlichten Fassung", null=True, help_text="Worauf die Änderung aufbaut."
    )
    state = models.CharField(
        "Stand", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="geprüft von",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("geprüft am", null=True, blank=True)
    note = models.TextField("Anmerkung der Prüfung", blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "Änderung zur Freigabe"
        verbose_name_plural = "Änderungen zur Freigabe"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="pending"),
                name="one_open_pending_change_per_entry",
            )
        ]

    def __str__(self):
        return f"Änderung an „{self.object_repr}“ ({self.get_state_display()})"

    @property
    def model(self):
        return self.content_type.model_class()

    @property
    def kind(self):
        """German name of the content type."""
        model = self.model
        return model._meta.verbose_name if model else self.content_type.model

    def live_object(self):
        """The entry as it is live now, or None if it was deleted in the meantime."""
        model = self.model
        return model._default_manager.filter(pk=self.object_id).first() if model else None

    @property
    def is_open(self):
        return self.state == self.State.PENDING
