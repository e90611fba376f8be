"""Review dates of published content: "zuletzt geprüft" and "nächste Prüfung".

Ticking "inhaltlich geprüft" when publishing or approving sets the date and the editor and
moves the next review twelve months on (unless the editor entered another date). An admin
page lists published items whose review is due, oldest first.
"""

import calendar
from datetime import date

from django.apps import apps
from django.utils import timezone

from core.publishing import Status, long_columns

from .editorial_groups import CONTENT_MODELS, LINK_MODELS

REVIEW_INTERVAL_MONTHS = 12


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def mark_reviewed(obj, user, keep_next_due=False):
    """Record a content review on ``obj`` (not saved)."""
    today = timezone.localdate()
    obj.last_reviewed_at = today
    obj.last_reviewed_by = user
    if not (keep_next_due and obj.next_review_due):
        obj.next_review_due = add_months(today, REVIEW_INTERVAL_MONTHS)


def reviewed_models():
    """Every content model with a publication state, in the admin's order."""
    return [
        apps.get_model(app_label, model_name)
        for app_label, model_name in CONTENT_MODELS
        if (app_label, model_name) not in LINK_MODELS
    ]


def due_items(today=None):
    """Published items whose review is due (or that were never reviewed), oldest first.

    One query per content model; the long texts stay in the database.
    """
    today = today or timezone.localdate()
    items = []
    for model in reviewed_models():
        rows = (
            model._default_manager.filter(status=Status.PUBLISHED)
            .exclude(next_review_due__gt=today)
            .select_related("last_reviewed_by")
            .defer(*long_columns(model))
        )
        items.extend(rows)
    return sorted(items, key=lambda obj: (obj.next_review_due or date.min, obj.updated_at))


def due_count(today=None):
    today = today or timezone.localdate()
    return sum(
        model._default_manager.filter(status=Status.PUBLISHED)
        .exclude(next_review_due__gt=today)
        .count()
        for model in reviewed_models()
    )
