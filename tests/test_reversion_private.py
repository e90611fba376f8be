"""django-reversion's private names that editorial/reversion_private.py relies on. When an
upgrade renames or reshapes one of them, these tests fail before any editor notices."""

import inspect

import reversion
from reversion import admin as reversion_admin
from reversion import revisions

from editorial.reversion_private import RestoreWithoutDeletingMixin
from phases.models import Criterion


def test_reversion_admin_still_has_the_restore_view_we_replace():
    original = reversion_admin.VersionAdmin._reversion_revisionform_view
    ours = RestoreWithoutDeletingMixin._reversion_revisionform_view
    assert list(inspect.signature(original).parameters) == list(inspect.signature(ours).parameters)


def test_the_rollback_exception_still_carries_the_response():
    rollback = reversion_admin._RollBackRevisionView("response")
    assert isinstance(rollback, Exception)
    assert rollback.response == "response"


def test_registration_options_still_name_the_object_id_field():
    assert reversion.is_registered(Criterion)
    assert revisions._get_options(Criterion).object_id_field == Criterion._meta.pk.name


def test_the_admin_views_call_the_replaced_method():
    # revision_view and recover_view must still go through the method we override.
    for view in (
        reversion_admin.VersionAdmin.revision_view,
        reversion_admin.VersionAdmin.recover_view,
    ):
        assert "_reversion_revisionform_view" in inspect.getsource(view)
