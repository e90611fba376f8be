"""Preview of a pending change at the public address: ``/kriterien/<slug>/?aenderung=<id>``.

For logged-in editors who may view the content type, the page is rendered with the pending
state applied inside a transaction that is rolled back afterwards, so nothing reaches the
live rows; the page shows a banner and is marked ``private, no-store``. For everyone else
the parameter is ignored: visitors, search, sitemap, exports and API only ever read the
live rows.
"""

from django.utils.cache import patch_cache_control

from core.preview import is_logged_in

from .models import PendingChange
from .review import with_pending_applied

PARAM = "aenderung"


def _may_view(user, model):
    opts = model._meta
    return user.is_staff and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class PendingPreviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request.GET.get(PARAM)
        if value is None or request.method not in ("GET", "HEAD") or not is_logged_in(request):
            return self.get_response(request)
        pending = None
        if value.isdigit() and len(value) < 12:
            pending = PendingChange.objects.open().filter(pk=int(value)).first()
        if pending is None or pending.model is None or not _may_view(request.user, pending.model):
            response = self.get_response(request)
        else:
            request.pending_preview = pending
            response = with_pending_applied(pending, lambda: self.get_response(request))
        patch_cache_control(response, private=True, no_store=True)
        return response
