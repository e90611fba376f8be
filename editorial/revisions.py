"""Revisions of editors' changes: one per entry, and what a restore must remember."""

from contextlib import contextmanager

import reversion

# Set on the request while an old version is restored or a deleted entry recovered: the
# status the entry had before, so that editors without the publish right cannot publish
# by restoring a published version.
STATUS_BEFORE_RESTORE = "_status_before_restore"


@contextmanager
def object_revision(request, comment=""):
    """One revision per entry, so that restoring it never touches other entries."""
    with reversion.create_revision():
        reversion.set_user(request.user)
        if comment:
            reversion.set_comment(comment)
        yield


def has_status(model):
    return any(field.name == "status" for field in model._meta.concrete_fields)
