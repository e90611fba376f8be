"""Counts for the review section of the admin start page."""

from django import template

from editorial.models import PendingChange
from editorial.review_dates import due_count

register = template.Library()


@register.simple_tag(takes_context=True)
def review_counts(context):
    user = context["request"].user
    return {
        "pending": PendingChange.objects.open().count(),
        "rejected": PendingChange.objects.filter(
            state=PendingChange.State.REJECTED, author=user
        ).count(),
        "due": due_count(),
    }
