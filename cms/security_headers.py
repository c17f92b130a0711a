"""Content-Security-Policy and Permissions-Policy on every response (issue 20, item 9).

No page runs a script the site did not write. The public site and the API load nothing but their
own files and run no inline script: scripts, styles, images and fonts only from this site, no
plugins, no framing, no ``<base>`` or form posts elsewhere. The staff screens (Wagtail's admin, the
capture screens that reuse its widgets, the API's Swagger UI and the OAuth consent page) keep every
source on this site too; the few inline scripts Wagtail still writes (date pickers, inline panels,
choosers) carry a nonce drawn afresh for every response, and the policy allows only scripts from
this site or with that nonce — an injected ``<script>`` has no nonce and does not run. Wagtail's
templates still put ``style=`` attributes everywhere, so only the staff screens keep inline styles
(a style cannot run code). No feature the site does not use (camera, microphone, geolocation,
payment, USB…) is allowed to any page. docs/instalacion.md §«Encabezados de seguridad».
"""

import re
import secrets
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.safestring import mark_safe

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
# {nonce} and {form_targets} are filled per response (staff_policy).
STAFF = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'{form_targets}",
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

# The nonce of the response being built. A context variable rather than only request.csp_nonce
# because Wagtail's widgets are rendered by the form renderer, whose templates get no request.
_nonce = ContextVar("csp_nonce", default="")


def current_nonce():
    """The nonce the current staff response allows ('' outside one: such a script will not run)."""
    return _nonce.get()


# A source expression as CSP writes it: an origin or a bare scheme, nothing that could end the
# directive.
_SOURCE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(//[A-Za-z0-9.:\[\]-]+)?")


def staff_policy(nonce, form_targets=()):
    extra = "".join(f" {source}" for source in form_targets)
    return STAFF.format(nonce=nonce, form_targets=extra)


def allow_form_target(request, url):
    """Let this response's form be answered with a redirect to ``url``'s origin.

    Chromium applies ``form-action`` to the redirect that answers a form, so the OAuth consent page
    (cms.oauth) names the callback the client registered — one already checked against the client's
    redirect URIs, never one taken from the request unchecked.
    """
    parts = urlsplit(url)
    web = parts.scheme in ("http", "https")
    source = f"{parts.scheme}://{parts.netloc}" if web else f"{parts.scheme}:"
    if _SOURCE.fullmatch(source):
        request.csp_form_targets = (*getattr(request, "csp_form_targets", ()), source)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.CONTENT_SECURITY_POLICY:
            return self.get_response(request)
        if not request.path_info.startswith(STAFF_PREFIXES):
            return self._with_headers(self.get_response(request), STRICT)
        # 128 random bits per response (the CSP spec asks for at least that).
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        token = _nonce.set(nonce)
        try:
            response = self.get_response(request)
        finally:
            _nonce.reset(token)
        targets = getattr(request, "csp_form_targets", ())
        return self._with_headers(response, staff_policy(nonce, targets))

    @staticmethod
    def _with_headers(response, policy):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        return response


def nonce_wagtail_choosers():
    """Give the init script of Wagtail's choosers the response's nonce.

    Wagtail 8's ``BaseChooser.render`` (page, snippet, document and image choosers) appends
    ``<script>{js}</script>`` to the widget's HTML in Python, out of reach of a template override;
    the script it appends is the last one of its output. Called once from ``CmsConfig.ready``.
    """
    from wagtail.admin.widgets.chooser import BaseChooser

    wagtail_render = BaseChooser.render
    if getattr(wagtail_render, "with_csp_nonce", False):
        return

    def render(self, name, value, attrs=None, renderer=None):
        html = wagtail_render(self, name, value, attrs=attrs, renderer=renderer)
        before, script, after = html.rpartition("<script>")
        if not script:
            return html
        return mark_safe(f'{before}<script nonce="{current_nonce()}">{after}')  # noqa: S308 (Wagtail's own output)

    render.with_csp_nonce = True
    BaseChooser.render = render
