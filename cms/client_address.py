"""The address of the client that sent a request, believing only the proxies we run.

Behind the reverse proxy of docs/instalacion.md every request comes from the proxy's address, so
``REMOTE_ADDR`` alone would put every person in one bucket (one wrong password would lock everyone
out). ``X-Forwarded-For`` can be written by anyone, though: each proxy *appends* the address it
received the request from, so only the last ``TRUSTED_PROXY_COUNT`` entries were written by
proxies of this installation, and the entry those proxies appended first is the client. Whatever a
client put in front of it is ignored. With ``TRUSTED_PROXY_COUNT = 0`` (no proxy) the header is
not read at all.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_address(request):
    """The client's IP address as our own proxies saw it ('' when there is no request)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote
    # The last `hops` entries were appended by our proxies; the first of them is the client's.
    return _valid(entries[-min(hops, len(entries))]) or remote
