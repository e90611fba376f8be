"""Admin pieces hardened for the Content Security Policy and for hostile input.

The admin classes themselves live in each app's admin.py; they mix these in.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models


class SafeInitialDataMixin:
    """Ignore prefill values in the add form's query string that cannot be a related key.

    ``/admin/phases/milestone/add/?phase=abc`` would otherwise reach the autocomplete widget,
    which looks the value up in the database and fails with a server error.
    """

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not isinstance(field, models.ForeignKey | models.ManyToManyField):
                continue
            try:
                for item in value if isinstance(value, list) else [value]:
                    field.target_field.clean(item, None)
            except ValidationError:
                del initial[name]
        return initial


class ExistingObjectHistoryMixin:
    """Answer the history of a missing object with the admin's "does not exist" redirect.

    django-reversion looks the raw id up in its text column first; on PostgreSQL an id with a
    NUL byte (``/admin/…/%00/history/``) then fails with a server error instead.
    """

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)
