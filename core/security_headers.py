"""Headers Django's SecurityMiddleware does not set: ``Permissions-Policy``.

The site uses no camera, microphone, location or other powerful browser feature; the header
switches them all off for the site and anything it might ever embed.
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        features = getattr(settings, "PERMISSIONS_POLICY", {})
        self.value = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
