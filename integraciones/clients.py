"""One client class per external PDN system and API version.

All clients share the same border behaviour: explicit timeouts, bounded retries with exponential
backoff for what may recover by itself (timeouts, refused connections, 5xx), one
re-authentication when a token expires mid-sync, and a ``ProtocolError`` for answers that are not
what the specification defines. Each one exposes ``collections`` and ``fetch_page`` so the sync
can walk any of them the same way, plus the operations of its specification.

Specifications: integraciones/specs/ (see its README). Token flow: the PDN's own consumer
(PDNMX/s2_backend routes/API/rest_data.js) sends the client credentials both in an HTTP Basic
header and in the form body, so we do the same.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
from django.utils.translation import gettext_lazy as _

from integraciones.conf import SyncSettings, sync_settings
from integraciones.exceptions import (
    AuthenticationError,
    ConfigurationError,
    ProtocolError,
    RecoverableError,
)
from integraciones.models import RegistryProvider

V1_MAX_PAGE_SIZE = 200  # pageSize maximum in every PDN v1 specification


@dataclass(frozen=True)
class Page:
    """One page of a collection: its records and where the next one starts (None at the end)."""

    records: list[dict]
    next_position: int | None
    total: int | None = None


def _check_url(value: str, field: str) -> None:
    parts = urlsplit(value or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigurationError(
            _("El campo %(field)s debe ser una URL http(s) completa; tiene «%(value)s».")
            % {"field": field, "value": value}
        )


class RegistryClient:
    """Shared HTTP behaviour. Subclasses define the protocol (v1 POST or v2 Directus GET)."""

    system = ""
    version = ""
    collections: tuple[str, ...] = ()
    first_position = 0

    def __init__(
        self,
        *,
        provider: RegistryProvider,
        settings: SyncSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.provider = provider
        self.settings = settings or sync_settings()
        self.sleep = sleep
        self.base_url = (provider.url or "").rstrip("/")
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self.validate_configuration()

    def validate_configuration(self) -> None:
        _check_url(self.provider.url, "url")

    def close(self) -> None:
        self.session.close()

    def fetch_page(self, *, collection: str, position: int, page_size: int) -> Page:
        raise NotImplementedError

    # -- transport ---------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        return min(self.settings.backoff_seconds * (2**attempt), self.settings.backoff_max_seconds)

    def _send_once(self, method: str, url: str, *, timeout: float, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, url, timeout=timeout, **kwargs)
        except requests.Timeout as exc:
            raise RecoverableError(
                _("Tiempo de espera agotado (%(seconds)s s) al consultar %(url)s.")
                % {"seconds": timeout, "url": url}
            ) from exc
        except requests.ConnectionError as exc:
            raise RecoverableError(
                _("No se pudo conectar con %(url)s (servidor caído o inaccesible).") % {"url": url}
            ) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise RecoverableError(
                _("%(url)s respondió con error %(status)s.")
                % {"url": url, "status": response.status_code}
            )
        return response

    def _send(self, method: str, url: str, *, timeout: float, **kwargs) -> requests.Response:
        """Send, retrying recoverable failures with exponential backoff (bounded)."""
        attempt = 0
        while True:
            try:
                return self._send_once(method, url, timeout=timeout, **kwargs)
            except RecoverableError:
                if attempt >= self.settings.max_retries:
                    raise
                self.sleep(self._backoff(attempt))
                attempt += 1

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise ProtocolError(
                _("La respuesta de %(url)s no es JSON válido.") % {"url": response.url}
            ) from exc

    @staticmethod
    def _check_records(records: Any, url: str) -> list[dict]:
        if not isinstance(records, list) or not all(
            isinstance(item, dict) and item.get("id") not in (None, "") for item in records
        ):
            raise ProtocolError(
                _("La respuesta de %(url)s no trae una lista de registros con «id».") % {"url": url}
            )
        return records


class PdnV1Client(RegistryClient):
    """The PDN interconnection protocol: POST {page, pageSize, query} with an OAuth 2.0 token."""

    paths: dict[str, str] = {}
    required_scope = ""
    first_position = 1

    def __init__(self, **kwargs):
        self._token: str | None = None
        self._token_expires_at = 0.0
        super().__init__(**kwargs)

    def validate_configuration(self) -> None:
        super().validate_configuration()
        _check_url(self.provider.token_url, "token_url")
        missing = [
            field
            for field in ("username", "password", "client_id", "client_secret")
            if not getattr(self.provider, field)
        ]
        if missing:
            raise ConfigurationError(
                _("Faltan credenciales OAuth del proveedor %(name)s: %(fields)s.")
                % {"name": self.provider.name, "fields": ", ".join(missing)}
            )
        if self.required_scope and self.required_scope not in self.scope.split():
            raise ConfigurationError(
                _("El proveedor %(name)s debe pedir el alcance %(scope)s.")
                % {"name": self.provider.name, "scope": self.required_scope}
            )

    @property
    def scope(self) -> str:
        return self.provider.scope or self.required_scope

    # -- OAuth 2.0 password grant ------------------------------------------------------------

    def authenticate(self) -> str:
        """Ask token_url for a token (password grant) and keep it until it expires."""
        provider = self.provider
        form = {
            "grant_type": "password",
            "username": provider.username,
            "password": provider.password,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        }
        if self.scope:
            form["scope"] = self.scope
        response = self._send(
            "POST",
            provider.token_url,
            timeout=self.settings.token_timeout,
            data=form,
            auth=(provider.client_id, provider.client_secret),
        )
        if response.status_code != 200:
            raise AuthenticationError(
                _("El servicio de token %(url)s rechazó las credenciales (HTTP %(status)s).")
                % {"url": provider.token_url, "status": response.status_code}
            )
        body = self._json(response)
        if not isinstance(body, dict) or not body.get("access_token"):
            raise ProtocolError(
                _("El servicio de token %(url)s no devolvió access_token.")
                % {"url": provider.token_url}
            )
        self._token = body["access_token"]
        expires_in = body.get("expires_in")
        # A margin of 10 s so a token does not expire between our check and the server's.
        self._token_expires_at = (
            time.monotonic() + float(expires_in) - 10 if expires_in else float("inf")
        )
        return self._token

    def _valid_token(self) -> str:
        if self._token is None or time.monotonic() >= self._token_expires_at:
            return self.authenticate()
        return self._token

    def _authorised(self, method: str, url: str, **kwargs) -> requests.Response:
        """Send with the Bearer token; on 401 authenticate once more and retry once."""
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self._valid_token()}"}
            response = self._send(
                method, url, timeout=self.settings.data_timeout, headers=headers, **kwargs
            )
            if response.status_code != 401:
                return response
            if attempt == 0:
                self._token = None  # expired or revoked mid-sync: get a fresh one
        raise AuthenticationError(
            _("%(url)s rechazó el token aun después de renovarlo (HTTP 401).") % {"url": url}
        )

    # -- operations --------------------------------------------------------------------------

    def search(
        self,
        *,
        collection: str,
        page: int = 1,
        page_size: int = 10,
        query: dict | None = None,
        sort: dict | None = None,
    ) -> dict:
        """POST one page of a v1 endpoint; returns {pagination, results} checked for shape."""
        url = self.base_url + self.paths[collection]
        body: dict[str, Any] = {"page": page, "pageSize": min(page_size, V1_MAX_PAGE_SIZE)}
        if query:
            body["query"] = query
        if sort:
            body["sort"] = sort
        response = self._authorised("POST", url, json=body)
        if response.status_code != 200:
            raise ProtocolError(
                _("%(url)s respondió HTTP %(status)s a la página %(page)s.")
                % {"url": url, "status": response.status_code, "page": page}
            )
        payload = self._json(response)
        pagination = payload.get("pagination") if isinstance(payload, dict) else None
        if not isinstance(pagination, dict) or not isinstance(pagination.get("hasNextPage"), bool):
            raise ProtocolError(
                _("La respuesta de %(url)s no trae «pagination.hasNextPage».") % {"url": url}
            )
        self._check_records(payload.get("results"), url)
        return payload

    def fetch_page(self, *, collection: str, position: int, page_size: int) -> Page:
        payload = self.search(collection=collection, page=position, page_size=page_size)
        records = payload["results"]
        more = payload["pagination"]["hasNextPage"] and bool(records)
        return Page(
            records=records,
            next_position=position + 1 if more else None,
            total=payload["pagination"].get("totalRows"),
        )

    def institutions(self, *, collection: str) -> list[dict]:
        """GET <endpoint>/dependencias: the catalogue of institutions of the provider."""
        url = self.base_url + self.paths[collection] + "/dependencias"
        response = self._authorised("GET", url)
        payload = self._json(response)
        if response.status_code != 200 or not isinstance(payload, list):
            raise ProtocolError(_("%(url)s no devolvió la lista de dependencias.") % {"url": url})
        return payload


class S1V2Client(PdnV1Client):
    """S1 declarations: POST /v2/declaraciones with scope read:declaraciones."""

    system, version = "s1", "v2"
    collections = ("declaraciones",)
    paths = {"declaraciones": "/v2/declaraciones"}
    required_scope = "read:declaraciones"

    def institutions(self, *, collection: str) -> list[dict]:
        raise ConfigurationError(_("El API de declaraciones (S1) no publica dependencias."))


class S2V1Client(PdnV1Client):
    """S2 v1.1: POST /v1/spic and GET /v1/spic/dependencias."""

    system, version = "s2", "v1"
    collections = ("spic",)
    paths = {"spic": "/v1/spic"}


class S3V1Client(PdnV1Client):
    """S3 v1.1: servidores (/v1/ssancionados) and particulares (/v1/psancionados) sancionados."""

    system, version = "s3", "v1"
    collections = ("ssancionados", "psancionados")
    paths = {"ssancionados": "/v1/ssancionados", "psancionados": "/v1/psancionados"}


class DirectusClient(RegistryClient):
    """The v2 APIs: Directus ``GET /items/<collection>`` with a static Bearer token."""

    version = "v2"
    first_position = 0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        configured = [c.strip() for c in self.provider.collections.split(",") if c.strip()]
        if configured:
            self.collections = tuple(configured)

    def validate_configuration(self) -> None:
        super().validate_configuration()
        if not self.provider.token:
            raise ConfigurationError(
                _("El proveedor %(name)s (v2) necesita el token fijo de Directus.")
                % {"name": self.provider.name}
            )

    def items(
        self,
        *,
        collection: str,
        limit: int = 10,
        offset: int = 0,
        filter: dict | None = None,  # Directus' own parameter name
        fields: str = "*.*.*",
    ) -> dict:
        """GET one page of a collection; returns {data, meta} checked for shape."""
        url = f"{self.base_url}/items/{collection}"
        params = {
            "fields": fields,
            "limit": limit,
            "offset": offset,
            "sort": "id",  # a stable order, or offsets would skip and repeat rows
            "meta": "total_count,filter_count",
        }
        if filter:
            params["filter"] = orjson.dumps(filter).decode()
        headers = {"Authorization": f"Bearer {self.provider.token}"}
        response = self._send(
            "GET", url, timeout=self.settings.data_timeout, params=params, headers=headers
        )
        if response.status_code in (401, 403):
            raise AuthenticationError(
                _("%(url)s rechazó el token fijo (HTTP %(status)s).")
                % {"url": url, "status": response.status_code}
            )
        if response.status_code != 200:
            raise ProtocolError(
                _("%(url)s respondió HTTP %(status)s.")
                % {"url": url, "status": response.status_code}
            )
        payload = self._json(response)
        if not isinstance(payload, dict):
            raise ProtocolError(_("La respuesta de %(url)s no es un objeto JSON.") % {"url": url})
        self._check_records(payload.get("data"), url)
        if not isinstance(payload.get("meta", {}), dict):
            raise ProtocolError(_("La respuesta de %(url)s trae «meta» inválido.") % {"url": url})
        return payload

    def fetch_page(self, *, collection: str, position: int, page_size: int) -> Page:
        payload = self.items(collection=collection, limit=page_size, offset=position)
        records = payload["data"]
        meta = payload.get("meta") or {}
        total = meta.get("filter_count", meta.get("total_count"))
        following = position + len(records)
        # With a total, trust it: a Directus capped below our limit (QUERY_LIMIT_MAX) returns
        # short pages that are not the last. Without one, a short page is the end.
        more = bool(records) and (
            following < total if total is not None else len(records) >= page_size
        )
        return Page(records=records, next_position=following if more else None, total=total)


class S2V2Client(DirectusClient):
    """S2 v2.0.0 (PDNMX/herramienta-capturador-s2). The collection is the Directus one from the
    capture tool's roles.json; the specification prints it misspelled without /items/."""

    system = "s2"
    collections = ("servidores_intervengan_procedimientos_contrataciones",)


class S3V2Client(DirectusClient):
    """S3 v2: faltas graves and no graves of servants, and of private individuals and companies."""

    system = "s3"
    collections = (
        "faltas_administrativas_graves",
        "faltas_administrativas_no_graves",
        "faltas_graves_personas_fisicas",
        "faltas_graves_personas_morales",
    )


CLIENTS: dict[tuple[str, str], type[RegistryClient]] = {
    (cls.system, cls.version): cls
    for cls in (S1V2Client, S2V1Client, S2V2Client, S3V1Client, S3V2Client)
}


def client_for(*, provider: RegistryProvider, **kwargs) -> RegistryClient:
    """The client of a provider's system and version; raises ConfigurationError if unknown."""
    try:
        cls = CLIENTS[(provider.system, provider.version)]
    except KeyError:
        raise ConfigurationError(
            _("No hay cliente para %(system)s %(version)s (S1 sólo existe en v2).")
            % {"system": provider.system, "version": provider.version}
        ) from None
    return cls(provider=provider, **kwargs)
