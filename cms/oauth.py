"""OAuth 2.0 as the PDN and other machine clients use it (django-oauth-toolkit underneath).

* Scopes are limited per client (``OAuthClient.allowed_scopes``).
* The password grant, which RFC 9700 rules out, is allowed only for clients an administrator
  marked as speaking the PDN protocol, since the PDN's own client uses it (docs/api.md §1.1).
* Token-endpoint errors keep RFC 6749's ``error`` / ``error_description`` and add the PDN-style
  ``code`` and a Spanish ``message``.
"""

import json

from django.urls import path
from django.utils.translation import gettext as _
from oauth2_provider import views as dot_views
from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator

from cms.login_throttle import LOCKED_MESSAGE, client_address, is_locked

TOKEN_ERROR_MESSAGES = {
    "invalid_client": lambda: _(
        "Las credenciales del cliente (client_id/client_secret) no son válidas."
    ),
    "invalid_grant": lambda: _("Usuario o contraseña incorrectos, o la concesión ya no es válida."),
    "unauthorized_client": lambda: _("Este cliente no tiene permitido ese tipo de concesión."),
    "unsupported_grant_type": lambda: _("Tipo de concesión (grant_type) no admitido."),
    "invalid_scope": lambda: _(
        "El alcance (scope) solicitado no está permitido para este cliente."
    ),
    "invalid_request": lambda: _("La solicitud de token está incompleta o mal formada."),
}


class ScopedClientValidator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == "password":
            return bool(
                getattr(client, "pdn_protocol", False)
                and client.allows_grant_type(AbstractApplication.GRANT_PASSWORD)
            )
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        if not set(scopes) <= client.allowed_scope_set():
            return False
        return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        defaults = super().get_default_scopes(client_id, request, *args, **kwargs)
        return [s for s in defaults if s in request.client.allowed_scope_set()]


class TokenView(dot_views.TokenView):
    """``POST /oauth/token/`` with the PDN's error shape added to RFC 6749's."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code >= 400:
            self._add_pdn_error(request, response)
        return response

    def _add_pdn_error(self, request, response):
        try:
            body = json.loads(response.content)
        except ValueError:
            body = {"error": "invalid_request"}
        error = body.get("error", "invalid_request")
        message = TOKEN_ERROR_MESSAGES.get(error, TOKEN_ERROR_MESSAGES["invalid_request"])()
        username = request.POST.get("username")
        if error == "invalid_grant" and username and is_locked(username, client_address(request)):
            message = str(LOCKED_MESSAGE) % {"minutes": 15}
        body.update(code=f"oauth_{error}", message=message)
        response.content = json.dumps(body, ensure_ascii=False).encode()
        response["Content-Type"] = "application/json; charset=utf-8"


app_name = "oauth2_provider"
urlpatterns = [
    path("authorize/", dot_views.AuthorizationView.as_view(), name="authorize"),
    path("token/", TokenView.as_view(), name="token"),
    path("revoke_token/", dot_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", dot_views.IntrospectTokenView.as_view(), name="introspect"),
]
