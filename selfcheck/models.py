"""Personal Fahrpläne: anonymous saved plans behind an unguessable link.

A Fahrplan holds no personal data and no account: only the SHA-256 hash of its
secret token, timestamps and one row per milestone or criterion that a team has
ticked or annotated. The token itself is never stored, so the database cannot
reveal a plan's address; the model therefore has no get_absolute_url().
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from phases.models import Criterion, Milestone, OperatorModel

# 32 random bytes = 256 bits; token_urlsafe encodes them in exactly 43 characters.
TOKEN_BYTES = 32
TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"
NOTE_MAX_LENGTH = 300


def hash_token(token):
    """The stored form of a token; a plain SHA-256 suffices for 256 random bits."""
    return hashlib.sha256(token.encode()).hexdigest()


def retention():
    return timedelta(days=getattr(settings, "FAHRPLAN_RETENTION_DAYS", 365))


class FahrplanQuerySet(models.QuerySet):
    def for_token(self, token):
        return self.filter(token_hash=hash_token(token))

    def untouched_since(self, moment):
        return self.filter(last_touched__lt=moment)

    def expired(self, now=None):
        """Plans nobody opened or changed within the retention period."""
        return self.untouched_since((now or timezone.now()) - retention())


class Fahrplan(models.Model):
    token_hash = models.CharField(
        "Prüfwert des Links",
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 des geheimen Links; der Link selbst wird nicht gespeichert.",
    )
    created_at = models.DateTimeField("angelegt", default=timezone.now, editable=False)
    last_touched = models.DateTimeField(
        "zuletzt benutzt",
        default=timezone.now,
        db_index=True,
        help_text="Letzte Änderung oder letzter Aufruf; danach richtet sich die Löschfrist.",
    )
    # The funding-end planner (selfcheck/schedule.py) and the documents (selfcheck/documents/).
    funding_end = models.DateField("Ende der Förderung", null=True, blank=True)
    budget_deadline = models.DateField("Frist der Haushaltsanmeldung", null=True, blank=True)
    council_meetings = models.JSONField("nächste Ratssitzungen", default=list, blank=True)
    solution_name = models.CharField("Name der Lösung", max_length=120, blank=True)
    municipality = models.CharField("Kommune", max_length=120, blank=True)
    operator_model = models.ForeignKey(
        OperatorModel,
        verbose_name="gewähltes Betreibermodell",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    annual_costs = models.PositiveIntegerField(
        "erwartete Kosten je Jahr (Euro)", null=True, blank=True
    )

    objects = FahrplanQuerySet.as_manager()

    class Meta:
        ordering = ["-last_touched"]
        verbose_name = "Fahrplan"
        verbose_name_plural = "Fahrpläne"

    def __str__(self):
        return f"Fahrplan vom {timezone.localtime(self.created_at):%d.%m.%Y}"

    @classmethod
    def create_with_token(cls):
        """A new plan and its secret token; the token is shown once and never stored."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        return cls.objects.create(token_hash=hash_token(token)), token

    @property
    def expires_on(self):
        return timezone.localtime(self.last_touched + retention()).date()

    def touch(self, now=None):
        self.last_touched = now or timezone.now()
        Fahrplan.objects.filter(pk=self.pk).update(last_touched=self.last_touched)


ENTRY_TARGETS = ("milestone", "criterion")


class FahrplanEntry(models.Model):
    """A milestone or criterion that a team ticked as done or wrote a note about.

    Editors may delete content at any time; the team's tick and note stay. The entry keeps
    what it referred to (kind, slug, title), shows „Dieser Inhalt wurde entfernt“ while the
    content is gone and is linked again when the content comes back (selfcheck/snapshots.py).
    """

    class TargetType(models.TextChoices):
        MILESTONE = "milestone", "Meilenstein"
        CRITERION = "criterion", "Kriterium"

    # Shown in the admin's delete confirmation of a milestone or criterion (counts only).
    deletion_note = (
        "Einträge in persönlichen Fahrplänen von Besucherinnen und Besuchern (Häkchen und "
        "Notizen). Sie bleiben erhalten und zeigen dort „Dieser Inhalt wurde entfernt“; "
        "stellen Sie den Inhalt aus dem Verlauf wieder her, sind sie wieder verknüpft"
    )

    fahrplan = models.ForeignKey(
        Fahrplan, verbose_name="Fahrplan", on_delete=models.CASCADE, related_name="entries"
    )
    # SET_NULL: plans never keep editors from deleting content, and never lose a team's note.
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="Meilenstein",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name="Kriterium",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_type = models.CharField("Art des Inhalts", max_length=10, choices=TargetType.choices)
    target_slug = models.SlugField(
        "Kurzname des Inhalts", max_length=120, help_text="Zum Wiederverknüpfen."
    )
    title = models.CharField("Titel des Inhalts", max_length=300, blank=True)
    done = models.BooleanField("erledigt", default=False)
    note = models.CharField("Notiz", max_length=NOTE_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField("zuletzt geändert", default=timezone.now)

    class Meta:
        ordering = ["fahrplan", "pk"]
        verbose_name = "Fahrplan-Eintrag"
        verbose_name_plural = "Fahrplan-Einträge"
        constraints = [
            models.CheckConstraint(
                condition=Q(milestone__isnull=True) | Q(criterion__isnull=True),
                name="fahrplan_entry_at_most_one_target",
            ),
            models.UniqueConstraint(
                fields=["fahrplan", "milestone"], name="fahrplan_entry_unique_milestone"
            ),
            models.UniqueConstraint(
                fields=["fahrplan", "criterion"], name="fahrplan_entry_unique_criterion"
            ),
            models.CheckConstraint(
                condition=Q(done=True) | ~Q(note=""), name="fahrplan_entry_not_empty"
            ),
        ]

    def __str__(self):
        # Deliberately without the note: this text shows up in admin delete confirmations.
        return "Eintrag in einem Fahrplan"

    @property
    def target(self):
        return self.milestone or self.criterion

    @property
    def is_removed(self):
        return self.milestone_id is None and self.criterion_id is None

    @classmethod
    def snapshot(cls, obj):
        """The fields that remember ``obj`` (a milestone or a criterion)."""
        target_type = "milestone" if isinstance(obj, Milestone) else "criterion"
        return {
            target_type: obj,
            "target_type": target_type,
            "target_slug": obj.slug,
            "title": obj.title,
        }


# Decisions (selfcheck/decisions.py) and document templates (selfcheck/documents/) live in
# modules of their own; importing them here registers the models with the app.
from .decisions import Decision  # noqa: E402, F401
from .documents.models import Vorlage  # noqa: E402, F401
