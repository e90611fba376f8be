"""Review before live: capture an edit as a pending change, apply it, compare it.

The trick used throughout: the admin saves the edit as usual inside a transaction, the
revision django-reversion writes for it is read back as the proposed state, and the
transaction is rolled back, so the live rows never change. To show or apply a pending change,
its versions are written back as a temporary revision and reverted inside a transaction (for
the change form, the preview and the diff that transaction is rolled back again after
rendering; for approving it is committed).
"""

from contextlib import contextmanager

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version

from .models import PendingChange


class _RollBack(Exception):
    def __init__(self, value=None):
        super().__init__("rolled back on purpose")
        self.value = value


def may_publish(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def is_published(obj):
    return getattr(obj, "status", None) == "published"


def needs_review(user, obj):
    """An edit of this live entry by this user waits for review instead of going live."""
    return obj is not None and is_published(obj) and not may_publish(user, type(obj))


def open_change_for(obj):
    return PendingChange.objects.open().for_object(obj).select_related("author").first()


# --- Serializing ----------------------------------------------------------------------------


def serialize_revision(revision):
    """The versions of ``revision`` as plain data for ``PendingChange.versions``."""
    return [
        {
            "content_type": [version.content_type.app_label, version.content_type.model],
            "object_id": version.object_id,
            "db": version.db,
            "format": version.format,
            "serialized_data": version.serialized_data,
            "object_repr": version.object_repr,
        }
        for version in revision.version_set.select_related("content_type").order_by("pk")
    ]


def latest_revision_of(obj):
    version = Version.objects.get_for_object(obj).select_related("revision").first()
    return version.revision if version else None


def materialize(pending, user=None):
    """A real (temporary) revision holding the pending versions; only inside a transaction."""
    revision = Revision.objects.create(
        date_created=timezone.now(), user=user, comment="Änderung zur Freigabe (vorübergehend)"
    )
    Version.objects.bulk_create(
        Version(
            revision=revision,
            content_type=ContentType.objects.get_by_natural_key(*entry["content_type"]),
            object_id=entry["object_id"],
            db=entry["db"],
            format=entry["format"],
            serialized_data=entry["serialized_data"],
            object_repr=entry["object_repr"][:191],
        )
        for entry in pending.versions
    )
    return revision


def apply_pending(pending):
    """Write the pending state into the live rows (caller holds the transaction).

    Rows the entry owned that the pending state no longer has (a deleted inline) are
    deleted, as when django-reversion restores a version with ``delete=True``.
    """
    revision = materialize(pending)
    revision.revert(delete=True)
    revision.delete()


@contextmanager
def rolled_back():
    """Run the block in a transaction that is always rolled back; yields a result holder."""
    holder = {}
    try:
        with transaction.atomic():
            yield holder
            raise _RollBack()
    except _RollBack:
        pass


def with_pending_applied(pending, render):
    """``render()`` (which must fully render its response) with the pending state live,
    then roll everything back."""
    with rolled_back() as holder:
        apply_pending(pending)
        holder["response"] = render()
    return holder["response"]


# --- Capturing an edit ------------------------------------------------------------------------


def capture_edit(request, obj, save):
    """Run ``save()`` (an admin view that saves ``obj``) without changing the live rows.

    Returns (response, pending change or None). If the view saved (a redirect), the revision
    it wrote becomes the pending change of ``obj`` (a new one, or the open one updated).
    """
    pending = open_change_for(obj)
    base = obj.updated_at
    with rolled_back() as holder:
        if pending is not None:
            apply_pending(pending)
        response = save()
        if hasattr(response, "render"):
            response.render()  # form errors: show the page as it was with the pending state
        holder["response"] = response
        revision = latest_revision_of(obj) if response.status_code == 302 else None
        holder["versions"] = serialize_revision(revision) if revision else None
    response, versions = holder["response"], holder["versions"]
    if versions is None:
        return response, None
    if pending is None:
        pending = PendingChange(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            author=request.user,
            base_updated_at=base,
        )
    pending.versions = versions
    pending.object_repr = str(obj)[:200]
    pending.last_editor = request.user
    pending.save()
    return response, pending


def is_stale(pending, live):
    """The live entry changed after the pending change was started."""
    return live is not None and pending.base_updated_at != live.updated_at


def user_name(user):
    if user is None:
        return "unbekannt"
    return user.get_full_name() or user.get_username()


def approve(pending, request, reviewed=False):
    """Put the pending change live as one revision naming author and approver."""
    from .review_dates import mark_reviewed

    live = pending.live_object()
    with transaction.atomic():
        apply_pending(pending)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(
                f"Änderung von {user_name(pending.author)} freigegeben von "
                f"{user_name(request.user)}."
            )
            obj = type(live)._default_manager.get(pk=live.pk)
            if reviewed:
                mark_reviewed(obj, request.user)
            obj.save()
        pending.state = PendingChange.State.APPROVED
        pending.reviewer = request.user
        pending.reviewed_at = timezone.now()
        pending.save()
    return obj


def reject(pending, request, note):
    pending.state = PendingChange.State.REJECTED
    pending.reviewer = request.user
    pending.reviewed_at = timezone.now()
    pending.note = note
    pending.save()
