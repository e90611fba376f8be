"""Rows without a time stamp of their own change their owner's ``updated_at``.

Cross-references belong to a criterion and phase references to a phase; both can be edited on
their own in the admin. Touching the owner lets the open data's ETag and Last-Modified
(``opendata.export.content_version``) follow such edits. ``update()`` sends no signals and
creates no revision: only the time stamp moves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from examples.models import Source
from phases.models import Criterion, CrossReference, Phase, PhaseReference

OWNERS = {
    CrossReference: (Criterion, "source_id"),
    PhaseReference: (Phase, "from_phase_id"),
}


@receiver(post_save, sender=CrossReference)
@receiver(post_delete, sender=CrossReference)
@receiver(post_save, sender=PhaseReference)
@receiver(post_delete, sender=PhaseReference)
def touch_owner(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures: the owners get their own time stamps
        return
    model, field = OWNERS[sender]
    model.objects.filter(pk=getattr(instance, field)).update(updated_at=timezone.now())


def touch_sources(sender, instance, action, reverse, pk_set, **kwargs):
    """A source's links changed (from either side): its time stamp moves."""
    if action == "pre_clear" and reverse:  # the item drops all its sources: touch them first
        pks = list(instance.sources.values_list("pk", flat=True))
    elif not action.startswith("post_") or (action == "post_clear" and reverse):
        return
    else:
        pks = [instance.pk] if not reverse else list(pk_set or ())
    Source.objects.filter(pk__in=pks).update(updated_at=timezone.now())


for _relation in ("criteria", "examples", "operator_models", "phases"):
    m2m_changed.connect(
        touch_sources,
        sender=getattr(Source, _relation).through,
        dispatch_uid=f"touch-sources-{_relation}",
    )
