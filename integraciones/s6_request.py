"""Reading and validating the JSON body of the PDN's S6 requests.

The body is checked against the request schema of the PDN's own specification (a copy lives in
``integraciones/specs/``; it is read from there, never from the network), tightened with what the
spec only says in prose: ``page`` ≥ 1, ``pageSize`` 1..200, and no unknown fields — a misspelt
filter silently ignored would return the wrong processes. Every refusal is a Spanish message.

What the documentation refuses is refused, never silently turned into "no filter" (issue 20,
item 10): an empty body (the PDN always sends a JSON object, ``{}`` at least), a filter whose value
is an object (``{"$ne": null}``), an empty sort direction, NUL characters (the database cannot
store them), and a page beyond ``MAX_PAGE`` (its offset would not fit in the database's integer).
"""

import copy
import functools
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import orjson
from django.utils.translation import gettext as _
from jsonschema import Draft7Validator

from cms.api_parsers import contains_nul, nul_message
from ocds_pages.validation import parse_datetime

SPEC_PATH = Path(__file__).resolve().parent / "specs" / "s6-contrataciones-openapi.json"
MAX_PAGE_SIZE = 200
MAX_PAGE = 10_000_000


class S6RequestError(Exception):
    """The body is not a valid S6 query; ``message`` says why, in Spanish."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class S6Request:
    """A validated query: filters with empty values already dropped."""

    page: int = 1
    page_size: int = 10
    sort: list[tuple[str, str]] = field(default_factory=list)
    query: dict = field(default_factory=dict)


@functools.cache
def specification() -> dict:
    return orjson.loads(SPEC_PATH.read_bytes())


def _tightened(schema: dict) -> dict:
    schema = copy.deepcopy(schema)
    properties = schema["properties"]
    properties["page"].update(minimum=1, maximum=MAX_PAGE)
    properties["pageSize"].update(minimum=1, maximum=MAX_PAGE_SIZE)
    schema["additionalProperties"] = False
    for name in ("sort", "query"):
        properties[name]["type"] = "object"
        properties[name]["additionalProperties"] = False
    return schema


@functools.cache
def contrataciones_validator() -> Draft7Validator:
    """The spec's ``requestOpenContracting``, tightened (see the module docstring)."""
    schema = specification()["components"]["schemas"]["requestOpenContracting"]
    return Draft7Validator(_tightened(schema), format_checker=Draft7Validator.FORMAT_CHECKER)


def _path(error) -> str:
    return "/".join(str(part) for part in error.absolute_path) or _("el cuerpo")


def _type_names(expected) -> str:
    names = {
        "object": _("objeto"),
        "array": _("arreglo"),
        "string": _("texto"),
        "integer": _("entero"),
        "boolean": _("booleano"),
    }
    expected = expected if isinstance(expected, list) else [expected]
    return ", ".join(names.get(kind, kind) for kind in expected)


def _page_message(name: str) -> str:
    if name == "page":
        return _(
            "Página inválida: page debe ser un entero mayor o igual a 1 (y a lo más %(max)d)."
        ) % {"max": MAX_PAGE}
    return _("Tamaño de página inválido: pageSize debe ser un entero entre 1 y %(max)d.") % {
        "max": MAX_PAGE_SIZE
    }


def error_message(error) -> str:
    """A Spanish sentence for one jsonschema error."""
    path = _path(error)
    if path in ("page", "pageSize") and error.validator in ("minimum", "maximum", "type"):
        return _page_message(path)
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("Campo desconocido en %(path)s: %(fields)s.") % {
            "path": path,
            "fields": ", ".join(unknown),
        }
    if error.validator == "enum":
        return _("Valor no admitido en %(path)s: %(value)s. Valores admitidos: %(allowed)s.") % {
            "path": path,
            "value": orjson.dumps(error.instance).decode(),
            "allowed": ", ".join(str(value) for value in error.validator_value),
        }
    if error.validator == "type":
        return _("%(path)s debe ser de tipo %(type)s.") % {
            "path": path,
            "type": _type_names(error.validator_value),
        }
    if error.validator == "format":
        return _("%(path)s debe ser una fecha y hora RFC 3339, p. ej. 2019-01-21T17:32:28Z.") % {
            "path": path
        }
    if error.validator == "uniqueItems":
        return _("%(path)s tiene valores repetidos.") % {"path": path}
    if error.validator == "minimum":
        return _("%(path)s debe ser mayor o igual a %(min)s.") % {
            "path": path,
            "min": error.validator_value,
        }
    return _("El campo %(path)s no es válido.") % {"path": path}


def parse_json_object(raw: bytes) -> dict:
    """The body as a JSON object (``{}`` asks for the first page of everything)."""
    if not raw.strip():
        raise S6RequestError(
            _("El cuerpo de la solicitud está vacío; envíe un objeto JSON (al menos {}).")
        )
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise S6RequestError(_("El cuerpo de la solicitud no es JSON válido.")) from None
    if not isinstance(body, dict):
        raise S6RequestError(_("El cuerpo de la solicitud debe ser un objeto JSON."))
    if contains_nul(body):
        raise S6RequestError(nul_message())
    return body


def without_empty(value, *, top=True):
    """Drop null, "" (or blank) and [] filter values: an empty filter means no filter.

    Only leaves are dropped: an object that held something stays (``{"$ne": null}`` becomes
    ``{}`` and fails validation as the non-text it is), and ``sort`` is kept as sent.
    """
    if isinstance(value, dict):
        cleaned = {
            key: item if top and key == "sort" else without_empty(item, top=False)
            for key, item in value.items()
        }
        return {
            key: item
            for key, item in cleaned.items()
            if not _is_empty(item) or (isinstance(item, dict) and value[key])
        }
    if isinstance(value, str):
        return value.strip()
    return value


def _is_empty(value) -> bool:
    return value is None or value in ("", [], {})


def validate(body: dict, validator: Draft7Validator) -> None:
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    if errors:
        raise S6RequestError(error_message(errors[0]))


def in_utc(container: dict, *names: str) -> None:
    """Rewrite the date-times ``names`` of ``container`` in UTC.

    RFC 3339 allows offsets up to ±23:59, PostgreSQL only up to ±15:59 (a valid query answered
    500); in UTC every valid date-time is stored and compared the same way.
    """
    for name in names:
        moment = parse_datetime(container.get(name))
        if moment is None:
            continue
        try:
            container[name] = moment.astimezone(UTC).isoformat()
        except OverflowError:
            raise S6RequestError(
                _("%(name)s está fuera del intervalo de fechas admitido.") % {"name": name}
            ) from None


def check_date_order(start, end) -> None:
    start, end = parse_datetime(start), parse_datetime(end)
    if start and end and start > end:
        raise S6RequestError(
            _("La fecha de inicio no puede ser posterior a la fecha de conclusión.")
        )


def read_contrataciones_request(raw: bytes) -> S6Request:
    """``POST /api/s6/contrataciones-abiertas``: the body as an ``S6Request``, or S6RequestError."""
    body = without_empty(parse_json_object(raw))
    validate(body, contrataciones_validator())
    query = body.get("query", {})
    in_utc(query, "tenderStartDate", "tenderEndDate")
    check_date_order(query.get("tenderStartDate"), query.get("tenderEndDate"))
    return S6Request(
        page=int(body.get("page", 1)),
        page_size=int(body.get("pageSize", 10)),
        sort=list(body.get("sort", {}).items()),
        query=query,
    )


# --- 2025 variant: POST /api/s6/v1/records (docs/api.md §4.4, PDNMX/s6-api) -----------------------

_TEXT = {"type": "string"}
_CODES = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def _object(**properties) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties}


def _about(description: str, schema: dict) -> dict:
    """``schema`` with a Spanish ``description``: the API docs are built from this schema
    (integraciones/s6_docs.py); validation ignores it."""
    return {**schema, "description": description}


def _contains(what: str) -> dict:
    return _about(f"Texto contenido en {what}.", _TEXT)


def _one_or_many(codes: list[str]) -> dict:
    return {"oneOf": [{"enum": codes}, {"type": "array", "items": {"enum": codes}}]}


_ITEMS = _object(description=_contains("la descripción de una partida"))
RECORDS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "pageSize": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "query": _about(
            "Filtros anidados con la forma de OCDS.",
            _object(
                ocid=_about("ocid exacto.", _TEXT),
                awards=_about(
                    "Filtros sobre una adjudicación.",
                    _object(
                        title=_contains("el título de una adjudicación"),
                        status=_about(
                            "Estado o lista de estados de alguna adjudicación.",
                            _one_or_many(["pending", "active", "cancelled", "unsuccessful"]),
                        ),
                        suppliers=_about(
                            "Proveedor adjudicado.", _object(name=_contains("el nombre"))
                        ),
                        items=_about("Partida adjudicada.", _ITEMS),
                    ),
                ),
                buyer=_about("Comprador.", _object(name=_contains("el nombre"))),
                contracts=_about(
                    "Filtros sobre contratos.", _object(title=_contains("el título de un contrato"))
                ),
                tender=_about(
                    "Filtros sobre la licitación.",
                    _object(
                        title=_contains("el título del proceso"),
                        procurementMethod=_about(
                            "Método o lista de métodos (open, selective, limited, direct).",
                            _one_or_many(["open", "selective", "limited", "direct"]),
                        ),
                        tenderPeriod=_about(
                            "Periodo de licitación.",
                            _object(
                                startDate=_about(
                                    "Inicia en o después de esta fecha.",
                                    {"type": "string", "format": "date-time"},
                                ),
                                endDate=_about(
                                    "Termina en o antes de esta fecha.",
                                    {"type": "string", "format": "date-time"},
                                ),
                            ),
                        ),
                        items=_about("Partida de la licitación.", _ITEMS),
                    ),
                ),
                parties=_about(
                    "Filtros sobre una misma parte.",
                    _object(
                        name=_contains("el nombre de una parte"),
                        roles=_about("Rol o lista de roles de esa parte.", _CODES),
                    ),
                ),
            ),
        ),
    },
}


@functools.cache
def records_validator() -> Draft7Validator:
    return Draft7Validator(RECORDS_SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def read_records_request(raw: bytes) -> S6Request:
    """``POST /api/s6/v1/records``: the body as an ``S6Request``, or S6RequestError."""
    body = without_empty(parse_json_object(raw))
    validate(body, records_validator())
    period = body.get("query", {}).get("tender", {}).get("tenderPeriod", {})
    in_utc(period, "startDate", "endDate")
    check_date_order(period.get("startDate"), period.get("endDate"))
    return S6Request(
        page=int(body.get("page", 1)),
        page_size=int(body.get("pageSize", 10)),
        query=body.get("query", {}),
    )
