"""Draft preview on public pages.

Editors (staff users with the view permission of the model) may open a draft at its public
address; the page then shows the banner "Entwurf – nur für die Redaktion sichtbar". Drafts
without a page of their own (glossary terms, resources, milestones) appear to editors in their
place on the page that lists them, each marked with the same words as a badge. Everyone else
gets the 404 page for drafts and never sees them listed. Lists, search, sitemap and exports
stay published-only for everybody.

Visitors without a session cookie are never looked up (no query, no ``Vary: Cookie``), so
anonymous pages stay exactly as before and remain cacheable. A response rendered for a logged-in
user is marked ``Cache-Control: private, no-store``: no shared cache may keep or serve it.
"""

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control


def may_preview_drafts(request, model):
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    opts = model._meta
    return user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def is_logged_in(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def preview_queryset(request, queryset):
    """Drafts included for editors who may preview the model, otherwise published rows only."""
    if may_preview_drafts(request, queryset.model):
        return queryset
    return queryset.published()


class PrivateWhenLoggedInMixin:
    """For views whose response may show drafts: never let a shared cache keep it."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if is_logged_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


class DraftPreviewMixin(PrivateWhenLoggedInMixin):
    """For DetailViews: build the queryset with ``self.visible(Model.objects.all())``.

    A view may name a cheaper way to its object for everybody who cannot preview drafts:
    ``public_object(slug)`` returns the public object or None (then 404 with
    ``not_found_message``). Editors who may preview ``model`` always go through the queryset.
    """

    public_object = None
    not_found_message = "Kein öffentlicher Eintrag mit diesem Kurznamen."

    def visible(self, queryset):
        return preview_queryset(self.request, queryset)

    def get_object(self, queryset=None):
        if self.public_object is None or may_preview_drafts(self.request, self.model):
            return super().get_object(queryset)
        obj = self.public_object(self.kwargs[self.slug_url_kwarg])
        if obj is None:
            raise Http404(self.not_found_message)
        return obj

    def get_context_data(self, **kwargs):
        obj = self.object
        # Anonymous visitors only ever get public rows here (no query); editors also learn
        # when a published entry stays hidden because a parent (e.g. its phase) is a draft.
        hidden_by_parent = (
            obj.is_published and may_preview_drafts(self.request, type(obj)) and not is_public(obj)
        )
        return super().get_context_data(
            draft_preview=not obj.is_published or hidden_by_parent,
            hidden_by_parent=hidden_by_parent,
            **kwargs,
        )


def is_public(obj):
    """Whether anonymous visitors may see ``obj`` under the model's one visibility rule."""
    model = type(obj)
    return model._base_manager.filter(model.public_q(), pk=obj.pk).exists()
