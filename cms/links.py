"""Where absolute links point: one rule for documents, downloads and OCDS package URIs.

In production every absolute link starts with ``SITE_URL``, the installation's public name, whatever
Host header a proxy passes on. In development the request's own origin is used, so a second server
(``make run PORT=8300``) links to itself; without a request (a command, an e-mail), ``SITE_URL``,
which in development defaults to that same PORT (cms/settings.py).
"""

from django.conf import settings


def site_url(request=None) -> str:
    """Scheme and host that absolute links start with, without a trailing slash."""
    if request is not None and not settings.PRODUCTION:
        return f"{request.scheme}://{request.get_host()}"
    return settings.SITE_URL


def absolute_url(path: str, request=None) -> str:
    """``path`` (starting with «/», query string included) as an absolute URL."""
    return f"{site_url(request)}{path}"


def request_url(request) -> str:
    """The absolute URL of the request itself (an OCDS package's ``uri``)."""
    return absolute_url(request.get_full_path(), request)
