"""Rate limits of the API: per OAuth client when a token is sent, per address otherwise.

DRF binds ``THROTTLE_RATES`` when the class is defined; these read the rate at each request so an
administrator (or a test) changing ``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']`` takes effect.
A refused request is a 429 with ``Retry-After`` and a Spanish ``{code, message}``
(cms.api_errors).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


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


class AnonymousRateThrottle(_CurrentRateMixin, SimpleRateThrottle):
    """One bucket per client address for requests without a token."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


API_THROTTLES = [ClientRateThrottle, AnonymousRateThrottle]
