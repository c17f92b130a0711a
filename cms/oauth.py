"""OAuth 2.0 as the PDN and other machine clients use it (django-oauth-toolkit underneath).

* Scopes are limited per client (``OAuthClient.allowed_scopes``).
* The password grant, which RFC 9700 rules out, is allowed only for clients an administrator
  marked as speaking the PDN protocol, since the PDN's own client uses it (docs/api.md §1.1).
* A password-grant client gets tokens only for its own service user (``OAuthClient.user``), never
  for staff who happen to know their password through it (issue 20, item 7).
* Wrong client secrets are counted per client id and address like wrong passwords
  (cms.login_throttle); past the limit the token endpoint answers 429 with ``Retry-After``.
* Token-endpoint errors keep RFC 6749's ``error`` / ``error_description`` and add the PDN-style
  ``code`` and a Spanish ``message``.
"""

import base64
import binascii
import json
from urllib.parse import unquote

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from oauth2_provider import views as dot_views
from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator

from cms import login_throttle
from cms.api_errors import error_body
from cms.client_address import client_address
from cms.security_headers import allow_form_target

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

    def validate_user(self, username, password, client, request, *args, **kwargs):
        if not super().validate_user(username, password, client, request, *args, **kwargs):
            return False
        if not getattr(client, "pdn_protocol", False):
            return True  # validate_grant_type refuses the grant itself, with its own error
        # The password grant exists for the PDN's service account only: a client must not become
        # a way to get tokens for any person whose password is known.
        return client.user_id is not None and request.user.pk == client.user_id

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
        client_id, address = _client_id(request), client_address(request)
        wait = login_throttle.client_retry_after(client_id, address)
        if wait:
            return _too_many_attempts(wait)
        response = super().post(request, *args, **kwargs)
        if response.status_code >= 400:
            error = self._add_pdn_error(request, response)
            if error == "invalid_client":
                login_throttle.record_client_failure(client_id, address)
        else:
            login_throttle.record_client_success(client_id, address)
        return response

    def _add_pdn_error(self, request, response):
        try:
            body = json.loads(response.content)
        except ValueError:
            body = {"error": "invalid_request"}
        error = body.get("error", "invalid_request")
        message = TOKEN_ERROR_MESSAGES.get(error, TOKEN_ERROR_MESSAGES["invalid_request"])()
        username = request.POST.get("username")
        if error == "invalid_grant" and username:
            wait = login_throttle.retry_after(username, client_address(request))
            if wait:
                message = login_throttle.locked_message(wait)
        body.update(code=f"oauth_{error}", message=message)
        response.content = json.dumps(body, ensure_ascii=False).encode()
        response["Content-Type"] = "application/json; charset=utf-8"
        return error


def _client_id(request):
    """The client id of a token request: HTTP Basic (RFC 6749 §2.3.1) or the form body."""
    scheme, _sep, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        if ":" in decoded:
            return unquote(decoded.split(":", 1)[0])
    return request.POST.get("client_id", "")


def _too_many_attempts(wait):
    body = error_body(
        429,
        _(
            "Demasiados intentos fallidos con este cliente; intente de nuevo en %(seconds)d "
            "segundos."
        )
        % {"seconds": wait},
        error="invalid_client",
    )
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=429, content_type="application/json"
    )
    response["Retry-After"] = str(wait)
    return response


class AuthorizationView(dot_views.AuthorizationView):
    """The consent page of the authorization-code grant. Its answer redirects to the client's
    callback, which the page's Content-Security-Policy must let the form reach
    (cms.security_headers.allow_form_target)."""

    def get_context_data(self, **kwargs):
        # Here the redirect URI is one the client registered (oauthlib checked it).
        if kwargs.get("redirect_uri"):
            allow_form_target(self.request, kwargs["redirect_uri"])
        return super().get_context_data(**kwargs)


app_name = "oauth2_provider"
urlpatterns = [
    path("authorize/", AuthorizationView.as_view(), name="authorize"),
    path("token/", TokenView.as_view(), name="token"),
    path("revoke_token/", dot_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", dot_views.IntrospectTokenView.as_view(), name="introspect"),
]
