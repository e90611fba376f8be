"""The review workflow inside each content admin (mixed into ``PublishableAdmin``).

- Someone without the publish permission who saves a published entry (fields, links,
  inlines, or restoring an old version) creates or updates its pending change; the live
  entry stays as it is. Opening the entry again shows the pending state to keep editing.
- Publishers see a notice with a link to the review page when a change is waiting.
- Deleting a published entry needs the publish permission; list edits are for publishers.
- Publishers get the tick "inhaltlich geprüft", which sets the review dates.
- Every changelist gets the filter "Änderung zur Freigabe".
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from .models import PendingChange
from .review import capture_edit, may_publish, needs_review, open_change_for, with_pending_applied
from .review_dates import mark_reviewed

REVIEWED_FIELD = "inhaltlich_geprueft"
_CAPTURING = "_capturing_pending_change"


class PendingChangeFilter(admin.SimpleListFilter):
    title = "Änderung zur Freigabe"
    parameter_name = "freigabe"

    def lookups(self, request, model_admin):
        return [("wartet", "wartet auf Freigabe"), ("keine", "keine offene Änderung")]

    def queryset(self, request, queryset):
        ids = PendingChange.objects.open().for_model(queryset.model).values_list("object_id")
        keys = [queryset.model._meta.pk.to_python(object_id) for (object_id,) in ids]
        if self.value() == "wartet":
            return queryset.filter(pk__in=keys)
        if self.value() == "keine":
            return queryset.exclude(pk__in=keys)
        return queryset


def rendered(response):
    return response.render() if hasattr(response, "render") else response


def review_url(pending):
    return reverse("admin:review_change", args=[pending.pk])


def mark_reviewed_action(modeladmin, request, queryset):
    """Changelist action: today's review for each selected entry, one revision each."""
    from .revisions import object_revision

    if not may_publish(request.user, modeladmin.model):
        return
    count = 0
    for obj in queryset:
        with object_revision(request, "Inhaltlich geprüft."):
            mark_reviewed(obj, request.user)
            obj.save(update_fields=["last_reviewed_at", "last_reviewed_by", "next_review_due"])
        count += 1
    modeladmin.message_user(request, f"{count} Einträge als inhaltlich geprüft markiert.")


class ReviewAdminMixin:
    # --- Saving -------------------------------------------------------------------------------

    def _review_target(self, request, object_id):
        if object_id is None or getattr(request, _CAPTURING, False):
            return None
        obj = self.get_object(request, object_id)
        return obj if needs_review(request.user, obj) else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # django-reversion writes the revision when its change_view ends, so the edit is
        # captured around that, never inside it.
        if request.method == "GET":
            self._notify(request, object_id)
        obj = self._review_target(request, object_id)
        if obj is None:
            return super().change_view(request, object_id, form_url, extra_context)
        return self._as_pending(
            request,
            obj,
            lambda: super(ReviewAdminMixin, self).change_view(
                request, object_id, form_url, extra_context
            ),
        )

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        obj = self.model._default_manager.filter(pk=version.object_id).first()
        if request.method != "POST" or not needs_review(request.user, obj):
            return super()._reversion_revisionform_view(
                request, version, template_name, extra_context
            )
        return self._as_pending(
            request,
            obj,
            lambda: super(ReviewAdminMixin, self)._reversion_revisionform_view(
                request, version, template_name, extra_context
            ),
        )

    def _as_pending(self, request, obj, view):
        setattr(request, _CAPTURING, True)
        try:
            if request.method != "POST":
                pending = open_change_for(obj)
                if pending is None:
                    messages.info(
                        request,
                        "Dieser Eintrag ist veröffentlicht. Was Sie speichern, geht erst nach "
                        "der Freigabe durch die Chefredaktion online.",
                    )
                    return view()
                messages.info(request, self._editing_message(pending))
                return with_pending_applied(pending, lambda: rendered(view()))
            response, pending = capture_edit(request, obj, view)
        finally:
            setattr(request, _CAPTURING, False)
        if pending is not None:
            messages.success(
                request,
                f"Ihre Änderung an „{obj}“ wartet jetzt auf Freigabe durch die Chefredaktion. "
                "Die veröffentlichte Fassung bleibt bis dahin unverändert; Sie können die "
                "Änderung weiter bearbeiten.",
            )
        return response

    def message_user(self, request, message, *args, **kwargs):
        # The admin's "… wurde erfolgreich geändert" is wrong while an edit becomes pending.
        if not getattr(request, _CAPTURING, False):
            super().message_user(request, message, *args, **kwargs)

    def _editing_message(self, pending):
        return format_html(
            "Sie sehen die Änderung zur Freigabe (zuletzt bearbeitet am {} von {}), nicht die "
            "veröffentlichte Fassung. Was Sie speichern, wartet weiter auf Freigabe. "
            '<a href="{}">Unterschiede ansehen</a>',
            pending.updated_at.strftime("%d.%m.%Y %H:%M"),
            pending.last_editor or pending.author,
            review_url(pending),
        )

    def _notify(self, request, object_id):
        """Publishers: a change waits. Authors: their latest change was rejected, and why."""
        obj = self.get_object(request, object_id)
        if obj is None:
            return
        pending = open_change_for(obj)
        if pending is not None:
            if may_publish(request.user, self.model):
                messages.warning(
                    request,
                    format_html(
                        "Für diesen Eintrag wartet eine Änderung von {} auf Freigabe. "
                        '<a href="{}">Änderung prüfen</a>',
                        pending.author or "unbekannt",
                        review_url(pending),
                    ),
                )
            return
        latest = (
            PendingChange.objects.for_object(obj)
            .filter(author=request.user)
            .order_by("-updated_at")
            .first()
        )
        if latest is not None and latest.state == PendingChange.State.REJECTED:
            messages.warning(
                request,
                format_html(
                    "Ihre Änderung vom {} wurde abgelehnt. Anmerkung: {} "
                    '<a href="{}">Abgelehnte Änderung ansehen</a>',
                    latest.updated_at.strftime("%d.%m.%Y"),
                    latest.note or "(keine)",
                    review_url(latest),
                ),
            )

    # --- Deleting and list edits ----------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        if obj is not None and needs_review(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not may_publish(request.user, self.model):
            changelist.list_editable = ()
        return changelist

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), PendingChangeFilter]

    # --- Review dates -------------------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        if may_publish(request.user, self.model):
            base = kwargs.get("form", self.form)
            field = forms.BooleanField(
                label="inhaltlich geprüft",
                required=False,
                help_text="Setzt „zuletzt geprüft“ auf heute und die nächste Prüfung auf "
                "zwölf Monate später (wenn Sie oben kein anderes Datum eintragen).",
            )
            kwargs["form"] = type(base.__name__, (base,), {REVIEWED_FIELD: field})
        return super().get_form(request, obj, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if may_publish(request.user, self.model):
            actions["mark_reviewed"] = (
                mark_reviewed_action,
                "mark_reviewed",
                "Ausgewählte als inhaltlich geprüft markieren",
            )
        return actions

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        extra = [name for name in ("last_reviewed_at", "last_reviewed_by") if name not in readonly]
        return readonly + extra

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get(REVIEWED_FIELD):
            mark_reviewed(obj, request.user, keep_next_due="next_review_due" in form.changed_data)
        super().save_model(request, obj, form, change)
