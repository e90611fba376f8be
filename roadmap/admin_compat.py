"""Admin pieces hardened for the Content Security Policy and for hostile input.

The admin classes themselves live in each app's admin.py; they mix these in.
"""

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
