"""Rows without a time stamp of their own change their owner's ``updated_at``.

Cross-references belong to a criterion and phase references to a phase; both can be edited on
their own in the admin. Touching the owner lets the open data's ETag and Last-Modified
(``opendata.export.content_version``) follow such edits. ``update()`` sends no signals and
creates no revision: only the time stamp moves.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

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
