"""Query parameters of the public OCDS API: parsed, checked, refused in Spanish.

Unknown parameters are refused too: a misspelt filter silently ignored would hand a consumer the
whole dataset while they believe it filtered.
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime, time

import orjson
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cms.models import Entity
from ocds_pages.codelists import codes
from ocds_pages.validation import parse_datetime


class BadParameter(Exception):
    """A query parameter is invalid; ``message`` is Spanish and names the parameter."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class Filters:
    """The filters shared by the release and record lists."""

    ocid: str | None = None
    entity: Entity | None = None
    procurement_methods: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    date_from: datetime | None = None
    date_to: datetime | None = None
    since: datetime | None = None


@dataclass
class ListRequest:
    filters: Filters
    limit: int
    cursor: tuple | None


FILTER_PARAMS = {"ocid", "entity", "procurementMethod", "dateFrom", "dateTo", "since"}
RELEASE_PARAMS = FILTER_PARAMS | {"tag"}
PAGING_PARAMS = {"cursor", "limit"}


def check_known(params, allowed: set[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise BadParameter(
            _("Parámetro desconocido: %(names)s. Admitidos: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )


def _codes_param(params, name: str, codelist: str) -> list[str]:
    values = [value.strip() for value in params.get(name, "").split(",") if value.strip()]
    allowed = codes(codelist)
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise BadParameter(
            _("Valor no admitido en %(name)s: %(values)s. Valores admitidos: %(allowed)s.")
            % {"name": name, "values": ", ".join(unknown), "allowed": ", ".join(allowed)}
        )
    return values


def _datetime_param(params, name: str, *, end_of_day: bool = False) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    invalid = BadParameter(
        _("%(name)s debe ser una fecha AAAA-MM-DD o una fecha y hora RFC 3339 con zona.")
        % {"name": name}
    )
    try:
        day = parse_date(raw) if len(raw) == 10 else None
    except ValueError:  # well formed but impossible, e.g. 2025-02-30
        raise invalid from None
    if day:
        moment = datetime.combine(day, time.max if end_of_day else time.min)
        return timezone.make_aware(moment)
    # A "+" of the zone arrives as a space when the client did not encode it.
    parsed = parse_datetime(raw.replace(" ", "+").replace("Z", "+00:00"))
    if parsed is None:
        raise invalid
    return parsed


def _entity_param(params) -> Entity | None:
    key = params.get("entity", "").strip()
    if not key:
        return None
    entity = Entity.objects.filter(key=key).first()
    if entity is None:
        raise BadParameter(_("No existe el ente público %(key)s.") % {"key": key})
    return entity


def parse_filters(params, *, with_tags: bool) -> Filters:
    filters = Filters(
        ocid=params.get("ocid", "").strip() or None,
        entity=_entity_param(params),
        procurement_methods=_codes_param(params, "procurementMethod", "method"),
        tags=_codes_param(params, "tag", "releaseTag") if with_tags else [],
        date_from=_datetime_param(params, "dateFrom"),
        date_to=_datetime_param(params, "dateTo", end_of_day=True),
        since=_datetime_param(params, "since"),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise BadParameter(_("dateFrom no puede ser posterior a dateTo."))
    return filters


def parse_limit(params) -> int:
    raw = params.get("limit", "").strip()
    if not raw:
        return settings.OCDS_API_PAGE_SIZE
    maximum = settings.OCDS_API_MAX_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadParameter(_("limit debe ser un entero entre 1 y %(max)d.") % {"max": maximum})
    return int(raw)


# --- cursors --------------------------------------------------------------------------------
# A cursor is the position after the last item served, opaque to clients: base64 of a small
# JSON array tagged with the list it belongs to, so a record cursor is refused on releases.


def encode_cursor(kind: str, *position) -> str:
    raw = orjson.dumps([kind, *position])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _valid_position(position: list, types: tuple) -> bool:
    if len(position) != len(types):
        return False
    for value, kind in zip(position, types, strict=True):
        if kind is datetime:
            if not isinstance(value, str) or parse_datetime(value) is None:
                return False
        elif not isinstance(value, kind) or isinstance(value, bool):
            return False
    return True


def decode_cursor(raw: str | None, kind: str, types: tuple) -> tuple | None:
    """The position in a cursor made by ``encode_cursor(kind, ...)``; ``types`` of each value
    (``datetime`` means an ISO text)."""
    if not raw:
        return None
    try:
        decoded = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError):
        decoded = None
    if not isinstance(decoded, list) or not decoded or decoded[0] != kind:
        decoded = None
    if decoded is None or not _valid_position(decoded[1:], types):
        raise BadParameter(
            _("El cursor no es válido; use el enlace links.next de la respuesta anterior.")
        )
    return tuple(decoded[1:])


def parse_list_request(params, *, kind: str, with_tags: bool, cursor_types: tuple) -> ListRequest:
    allowed = (RELEASE_PARAMS if with_tags else FILTER_PARAMS) | PAGING_PARAMS
    check_known(params, allowed)
    return ListRequest(
        filters=parse_filters(params, with_tags=with_tags),
        limit=parse_limit(params),
        cursor=decode_cursor(params.get("cursor"), kind, cursor_types),
    )
