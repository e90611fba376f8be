"""Which content still points at an object through a many-to-many field.

Foreign keys to content use PROTECT, so Django refuses those deletes by itself. A plain
many-to-many link (a practice example illustrating a criterion, a criterion supporting a
milestone) would be removed silently instead; the admin refuses such deletes too and names
the entries that still link here (see ``editorial.admin``).
"""

from dataclasses import dataclass

from django.contrib.admin.utils import quote
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst


@dataclass(frozen=True)
class Reference:
    source: models.Model  # the entry that links
    field: models.Field  # its many-to-many field

    def describe(self, admin_site=None, user=None):
        """German list item „Praxisbeispiel: X (über „veranschaulicht Kriterien“)“, linked."""
        opts = self.source._meta
        label = capfirst(opts.verbose_name)
        url = None
        if admin_site is not None and user is not None and self.source_in_admin(admin_site, user):
            try:
                url = reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[quote(self.source.pk)],
                )
            except NoReverseMatch:
                url = None
        via = self.field.verbose_name
        if url:
            return format_html('{}: <a href="{}">{}</a> (über „{}“)', label, url, self.source, via)
        return format_html("{}: {} (über „{}“)", label, self.source, via)

    def source_in_admin(self, admin_site, user):
        model_admin = admin_site._registry.get(type(self.source))
        return model_admin is not None and user.has_perm(
            f"{self.source._meta.app_label}.view_{self.source._meta.model_name}"
        )

    def __str__(self):
        return f"{self.source._meta.verbose_name} „{self.source}“"


def m2m_references(obj):
    """References to ``obj`` via many-to-many fields with Django's automatic link table.

    Fields with an explicit link model (criterion ↔ workstream) are left out: their link rows
    use PROTECT, so Django's own check covers them.
    """
    references = []
    for relation in obj._meta.related_objects:
        if not relation.many_to_many or not relation.through._meta.auto_created:
            continue
        accessor = relation.get_accessor_name()
        for source in getattr(obj, accessor).all():
            references.append(Reference(source=source, field=relation.field))
    return references


def kept_rows_notes(model, objs):
    """{explanation: number} for rows that survive deleting ``objs`` (``SET_NULL``) and whose
    model explains what happens to them in a ``deletion_note`` (e.g. visitors' Fahrplan
    entries). Counts only: the confirmation page shows no one's data."""
    notes = {}
    for relation in model._meta.get_fields(include_hidden=True):
        note = getattr(relation.related_model, "deletion_note", None)
        if not (relation.one_to_many and note and relation.on_delete is models.SET_NULL):
            continue
        count = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": list(objs)}
        ).count()
        if count:
            notes[note] = count
    return notes
