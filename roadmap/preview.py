"""Draft preview on public detail pages.

Editors (staff users with the view permission of the model) may open a draft at its public
address; the page then shows the banner "Entwurf – nur für die Redaktion sichtbar". Everyone
else gets the 404 page for drafts. Lists, search, sitemap and exports stay published-only for
everybody; only the detail page of the entry itself is previewed.

Visitors without a session cookie are never looked up (no query, no ``Vary: Cookie``), so
anonymous pages stay exactly as before and remain cacheable. A response rendered for a logged-in
user is marked ``Cache-Control: private, no-store``: no shared cache may keep or serve it.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


def may_preview_drafts(request, model):
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    opts = model._meta
    return user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def is_logged_in(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


class DraftPreviewMixin:
    """For DetailViews: build the queryset with ``self.visible(Model.objects.all())``."""

    def visible(self, queryset):
        if may_preview_drafts(self.request, queryset.model):
            return queryset
        return queryset.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(draft_preview=not self.object.is_published, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if is_logged_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
