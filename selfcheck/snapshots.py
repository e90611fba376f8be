"""Visitors' Fahrplan entries outlive editorial deletes.

Before a milestone or criterion is deleted, its entries remember its current slug and title
(the foreign key then becomes NULL, see ``FahrplanEntry``). When an entry with that kind and
slug is created again – recovered from the revision history or newly written – the waiting
entries are linked to it again. Plans that meanwhile have an entry for the new row keep that
one; the old entry stays as it is.
"""

from django.db.models.signals import post_save, pre_delete

from phases.models import Criterion, Milestone

from .models import FahrplanEntry


def _target_type(model):
    return "milestone" if issubclass(model, Milestone) else "criterion"


def remember_before_delete(sender, instance, **kwargs):
    target_type = _target_type(sender)
    FahrplanEntry.objects.filter(**{target_type: instance}).update(
        target_type=target_type, target_slug=instance.slug, title=instance.title
    )


def relink_after_create(sender, instance, created, **kwargs):
    if not created:
        return
    target_type = _target_type(sender)
    linked = FahrplanEntry.objects.filter(**{target_type: instance}).values("fahrplan")
    waiting = (
        FahrplanEntry.objects.filter(
            **{f"{target_type}__isnull": True},
            target_type=target_type,
            target_slug=instance.slug,
        )
        .exclude(fahrplan__in=linked)
        .order_by("fahrplan_id", "-updated_at")
        .values_list("pk", "fahrplan_id")
    )
    newest = {}  # one entry per plan: a plan may link a row only once
    for pk, fahrplan_id in waiting:
        newest.setdefault(fahrplan_id, pk)
    if newest:
        FahrplanEntry.objects.filter(pk__in=newest.values()).update(
            **{target_type: instance}, title=instance.title
        )


def connect():
    for model in (Milestone, Criterion):
        pre_delete.connect(remember_before_delete, sender=model, dispatch_uid=f"fahrplan-{model}")
        post_save.connect(relink_after_create, sender=model, dispatch_uid=f"fahrplan-{model}")
