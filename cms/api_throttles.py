"""Rate limits of the API: per OAuth client when a token is sent, per address otherwise.

DRF binds ``THROTTLE_RATES`` when the class is defined; these read the rate at each request so an
administrator (or a test) changing ``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']`` takes effect.
A refused request is a 429 with ``Retry-After`` and a Spanish ``{code, message}``
(cms.api_errors).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from cms.client_address import client_address


class _CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ClientRateThrottle(_CurrentRateMixin, SimpleRateThrottle):
    """One bucket per OAuth client (``client_id``), whoever the user of the token is."""

    scope = "client"

    def get_cache_key(self, request, view):
        application = getattr(getattr(request, "auth", None), "application", None)
        if application is None:
            return None  # no token: AnonymousRateThrottle counts it
        return self.cache_format % {"scope": self.scope, "ident": application.client_id}


class _ClientAddressMixin:
    """The client address through the trusted proxies only, never a header a client wrote."""

    def get_ident(self, request):
        return client_address(request)


class AnonymousRateThrottle(_ClientAddressMixin, _CurrentRateMixin, SimpleRateThrottle):
    """One bucket per client address for requests without a token."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicContentRateThrottle(_ClientAddressMixin, _CurrentRateMixin, AnonRateThrottle):
    """The anonymous limit for the headless content API (every request counts as anonymous)."""


API_THROTTLES = [ClientRateThrottle, AnonymousRateThrottle]
