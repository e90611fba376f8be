"""Admin pages of the review workflow: pending changes, one change with its diff (approve or
reject), and the items whose content review is due.

Wired in ``editorial.admin_site.EditorialAdminSite.get_urls`` behind ``admin_view``.
"""

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from reversion.errors import RevertError
from reversion.models import Version

from .locking import lock_token
from .models import PendingChange
from .review import apply_pending, approve, is_stale, may_publish, reject, rolled_back, user_name
from .review_dates import due_items

LIVE_TOKEN = "live_stand"
STALE_CONFIRMED = "veraltet_bestaetigt"
REVIEWED = "inhaltlich_geprueft"
MAX_NOTE = 2000
IGNORED_FIELDS = {"updated_at", "created_at", "search_vector"}


def may_view(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def pending_list(request, admin_site):
    """Open changes (for everyone who may see the content type) and the user's own rejections."""
    visible = [
        change
        for change in PendingChange.objects.open().for_list()
        if change.model and may_view(request.user, change.model)
    ]
    for change in visible:
        change.may_review = may_publish(request.user, change.model)
    rejected = PendingChange.objects.filter(
        state=PendingChange.State.REJECTED, author=request.user
    ).for_list()
    context = {
        **admin_site.each_context(request),
        "title": "Änderungen zur Freigabe",
        "changes": visible,
        "rejected": rejected,
    }
    return TemplateResponse(request, "admin/review/pending_list.html", context)


def _diff(admin, pending, live):
    """reversion-compare's field diff of the live entry and the pending state, as HTML."""
    with rolled_back() as holder:
        with reversion.create_revision():
            reversion.add_to_revision(live)
        before = Version.objects.get_for_object(live).first()
        apply_pending(pending)
        after_obj = type(live)._default_manager.get(pk=live.pk)
        with reversion.create_revision():
            reversion.add_to_revision(after_obj)
        after = Version.objects.get_for_object(after_obj).first()
        diff, _ = admin.compare(after_obj, before, after)
        holder["diff"] = [
            {"label": _label(entry["field"]), "html": str(entry["diff"])}
            for entry in diff
            if _differs(entry["field"], live, after_obj)
        ]
    return holder["diff"]


def _differs(field, before, after):
    """reversion-compare also lists unchanged empty relations, the time stamp and texts that
    differ only in line ends or surrounding white space; skip them."""
    if getattr(field, "name", None) in IGNORED_FIELDS:
        return False
    if isinstance(field, models.Field) and field.concrete and not field.many_to_many:
        return _normalized(getattr(before, field.attname)) != _normalized(
            getattr(after, field.attname)
        )
    return True


def _normalized(value):
    # Browsers submit textareas with CRLF line ends and forms strip the text's ends; that
    # alone is no change for a reader.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _label(field):
    name = getattr(field, "verbose_name", None) or getattr(field, "name", "")
    if isinstance(field, models.ForeignObjectRel):
        name = field.related_model._meta.verbose_name_plural
    return str(name)


def change_detail(request, pk, admin_site):
    pending = get_object_or_404(PendingChange.objects.select_related("author", "reviewer"), pk=pk)
    model = pending.model
    if model is None or not (may_view(request.user, model) or pending.author == request.user):
        raise PermissionDenied
    may_review = may_publish(request.user, model)
    if request.method == "POST":
        response = _decide(request, pending, may_review)
        if response is not None:
            return response
        pending.refresh_from_db()
    live = pending.live_object()
    diff, problem = [], None
    if live is None:
        problem = (
            "Der Eintrag wurde inzwischen gelöscht. Die Änderung kann nicht übernommen werden; "
            "ihr Text bleibt hier gespeichert. Stellen Sie den Eintrag über „Gelöschte … "
            "wiederherstellen“ wieder her oder lehnen Sie die Änderung ab."
        )
    else:
        try:
            diff = _diff(admin_site._registry[model], pending, live)
        except (RevertError, models.ProtectedError) as error:
            problem = f"Die Unterschiede lassen sich nicht anzeigen: {error}"
    stale = pending.is_open and is_stale(pending, live)
    opts = model._meta
    context = {
        **admin_site.each_context(request),
        "title": f"Änderung an „{pending.object_repr}“",
        "pending": pending,
        "live": live,
        "opts": opts,
        "diff": diff,
        "problem": problem,
        "stale": stale,
        "may_review": may_review and pending.is_open,
        "live_token": lock_token(live.updated_at) if live else "",
        "preview_url": (
            f"{live.get_absolute_url()}?aenderung={pending.pk}"
            if live is not None and pending.is_open and hasattr(live, "get_absolute_url")
            else None
        ),
        "change_url": (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[live.pk])
            if live
            else None
        ),
        "max_note": MAX_NOTE,
    }
    response = TemplateResponse(request, "admin/review/change_detail.html", context)
    add_never_cache_headers(response)
    return response


def _decide(request, pending, may_review):
    """Approve or reject; None means: show the page again (with the message)."""
    back = redirect("admin:review_change", pending.pk)
    if not may_review:
        messages.error(
            request,
            "Sie dürfen Änderungen an dieser Inhaltsart nicht freigeben oder ablehnen; das "
            "darf die Chefredaktion. Es wurde nichts geändert.",
        )
        return back
    action = request.POST.get("aktion")
    try:
        with transaction.atomic():
            locked = PendingChange.objects.select_for_update().get(pk=pending.pk)
            if not locked.is_open:
                messages.error(
                    request,
                    f"Diese Änderung wurde bereits {locked.get_state_display()} (von "
                    f"{user_name(locked.reviewer)}). Es wurde nichts geändert.",
                )
                return back
            if action == "ablehnen":
                return _reject(request, locked, back)
            if action == "freigeben":
                return _approve(request, locked)
    except (RevertError, models.ProtectedError) as error:
        messages.error(
            request,
            f"Die Änderung konnte nicht übernommen werden: {error} Es wurde nichts geändert.",
        )
        return back
    messages.error(request, "Bitte wählen Sie „Freigeben“ oder „Ablehnen“.")
    return back


def _reject(request, pending, back):
    note = request.POST.get("anmerkung", "").strip()
    if not note or len(note) > MAX_NOTE:
        messages.error(
            request,
            f"Bitte begründen Sie die Ablehnung in einer Anmerkung (höchstens {MAX_NOTE} "
            "Zeichen); die Autorin oder der Autor sieht sie. Es wurde nichts geändert.",
        )
        return back
    reject(pending, request, note)
    messages.success(request, f"Die Änderung an „{pending.object_repr}“ wurde abgelehnt.")
    return redirect("admin:review_list")


def _approve(request, pending):
    live = pending.live_object()
    if live is None:
        messages.error(
            request,
            "Der Eintrag wurde inzwischen gelöscht; die Änderung kann nicht übernommen werden. "
            "Es wurde nichts geändert.",
        )
        return None
    if request.POST.get(LIVE_TOKEN) != lock_token(live.updated_at):
        messages.error(
            request,
            "Die veröffentlichte Fassung wurde geändert, während Sie diese Seite geöffnet hatten. "
            "Es wurde nichts übernommen. Die Unterschiede unten zeigen jetzt den Vergleich mit "
            "der aktuellen Fassung; prüfen Sie sie bitte erneut.",
        )
        return None
    if is_stale(pending, live) and not request.POST.get(STALE_CONFIRMED):
        messages.error(
            request,
            "Die veröffentlichte Fassung wurde geändert, nachdem diese Änderung begonnen wurde. "
            "Eine Freigabe würde die neueren Änderungen ersetzen. Prüfen Sie die Unterschiede "
            "zur aktuellen Fassung unten und bestätigen Sie das ausdrücklich. Es wurde nichts "
            "übernommen.",
        )
        return None
    approve(pending, request, reviewed=bool(request.POST.get(REVIEWED)))
    messages.success(
        request,
        f"Die Änderung an „{pending.object_repr}“ ist freigegeben und jetzt veröffentlicht.",
    )
    return redirect("admin:review_list")


def due_list(request, admin_site):
    items = [item for item in due_items() if may_view(request.user, type(item))]
    rows = [
        {
            "item": item,
            "kind": type(item)._meta.verbose_name,
            "url": reverse(
                f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk]
            ),
        }
        for item in items
    ]
    context = {
        **admin_site.each_context(request),
        "title": "Fällige inhaltliche Prüfungen",
        "rows": rows,
    }
    return TemplateResponse(request, "admin/review/due_list.html", context)
