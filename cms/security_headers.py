"""Content-Security-Policy and Permissions-Policy on every response (issue 20, item 9).

The public site and the API load nothing but their own files and run no inline script, so they get
a strict policy: scripts, styles, images and fonts only from this site, no plugins, no framing, no
``<base>`` or form posts elsewhere. The staff screens (Wagtail's admin and the capture screens
that reuse its widgets) are built from Wagtail's templates, which still write small inline scripts
(date pickers, inline panels); there the policy keeps every source on this site and forbids
plugins and framing by others, but has to allow inline scripts (docs/instalacion.md explains the
gap). No feature the site does not use (camera, microphone, geolocation, payment, USB…) is allowed
to any page.
"""

from django.conf import settings

STRICT = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
STAFF = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        # Wagtail previews pages in an iframe of its own admin.
        "frame-ancestors 'self'",
    ]
)
PERMISSIONS = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
STAFF_PREFIXES = ("/admin/", "/tramite/", "/api/docs/", "/oauth/authorize/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.CONTENT_SECURITY_POLICY:
            return response
        staff = request.path_info.startswith(STAFF_PREFIXES)
        response.headers.setdefault("Content-Security-Policy", STAFF if staff else STRICT)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response
