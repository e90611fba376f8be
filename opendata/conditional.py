"""Conditional GET for the open data: ETag and Last-Modified from the content version.

A matching If-None-Match or If-Modified-Since is answered with 304 before any export or API
answer is built; the version costs one aggregate query per request.
"""

from django.views.decorators.http import condition

from .export import content_version


def request_version(request):
    """The content version, computed once per request (ETag and Last-Modified both need it)."""
    if not hasattr(request, "_opendata_version"):
        request._opendata_version = content_version()
    return request._opendata_version


conditional = condition(
    etag_func=lambda request, *args, **kwargs: request_version(request).etag,
    last_modified_func=lambda request, *args, **kwargs: request_version(request).last_modified,
)
