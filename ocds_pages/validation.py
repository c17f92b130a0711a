"""Validation of a release before it is published: one public function, Spanish messages.

:func:`validate_release` checks the JSON Schema (draft 4) of OCDS 1.1.5 patched with the
extensions, closed codelists (they are ``enum`` in the schema) and the formats the schema declares
(``date-time``, ``uri``, ``email``: the checks OCP's validator, lib-cove-ocds, runs), then the OCDS
rules the schema cannot express: unique ``id`` in arrays, the ocid prefix, tag/section coherence,
dates that go forward and references between sections.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft4Validator, FormatChecker, ValidationError, validators
from rfc3339_validator import validate_rfc3339
from rfc3986_validator import validate_rfc3986

from ocds_pages.extension import ReleaseSchema, release_schema


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a release: where (a JSON path like ``tender/items/0/id``) and what."""

    path: str
    message: str

    def __str__(self):
        return f"{self.path or '/'}: {self.message}"


# Sentinel: "use settings.OCID_PREFIX" (None means "do not check the prefix", for imports).
OWN_PREFIX = "__own__"

# The section each release tag announces (OCDS releaseTag codelist descriptions).
TAG_SECTIONS = {
    "planning": "planning",
    "planningUpdate": "planning",
    "tender": "tender",
    "tenderAmendment": "tender",
    "tenderUpdate": "tender",
    "tenderCancellation": "tender",
    "award": "awards",
    "awardUpdate": "awards",
    "awardCancellation": "awards",
    "contract": "contracts",
    "contractUpdate": "contracts",
    "contractAmendment": "contracts",
    "implementation": "contracts",
    "implementationUpdate": "contracts",
    "contractTermination": "contracts",
}

# Arrays whose objects' `id` is only unique together with `scheme` (Identifier, Classification),
# so a repeated id there is not a merge conflict.
SCHEME_SCOPED_ARRAYS = {"additionalIdentifiers", "additionalClassifications"}

JSON_TYPE_NAMES = {
    "string": "un texto",
    "number": "un número",
    "integer": "un número entero",
    "boolean": "verdadero o falso",
    "array": "una lista",
    "object": "un objeto",
}


def validate_release(
    release: dict,
    *,
    schema: ReleaseSchema | None = None,
    previous: dict | None = None,
    ocid_prefix: str | None = OWN_PREFIX,
    language: str | None = "es",
    capture_rules: bool = True,
) -> list[ValidationIssue]:
    """Every problem of ``release``; an empty list means it may be published.

    ``schema`` is the release schema to check against (``ocds_pages.extension.release_schema()``,
    read from the database, when not given). ``previous`` is the compiled release of the process
    before this release (None for the first one); references such as ``contracts/0/awardID`` may
    point to it. ``ocid_prefix`` is the prefix the ocid must carry (our own by default; None for
    imports, which keep foreign prefixes). ``language`` is the required ``language`` of the
    release (None: any). ``capture_rules`` adds the rules our own capture follows (LAASSP) beyond
    OCDS — see :func:`capture_rule_issues`; third-party data is checked against OCDS only.
    """
    if not isinstance(release, dict):
        return [ValidationIssue("", _("Se esperaba un objeto JSON (una entrega OCDS)."))]
    if schema is None:
        schema = release_schema()
    issues = list(_schema_issues(release, schema))
    issues += _rule_issues(release, previous or {}, ocid_prefix, language)
    if capture_rules:
        issues += capture_rule_issues(release, previous)
    return sorted(issues, key=_path_order)


def _path_order(issue: ValidationIssue) -> tuple:
    """Paths in document order: awards/2 before awards/10 (a person reads the first ones)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in issue.path.split("/")
    )


def capture_rule_issues(release: dict, previous: dict | None = None) -> list[ValidationIssue]:
    """What our capture rules (LAASSP) refuse although OCDS allows it: a contract signed before
    the date of its award. Own releases must meet them; on imported data they are warnings
    (a real publisher may record an award's date hours after the contract's signature)."""
    if not isinstance(release, dict):
        return []
    awards = _award_dates(release, previous or {})
    issues = []
    for index, contract in enumerate(release.get("contracts") or []):
        award_id = contract.get("awardID") if isinstance(contract, dict) else None
        if isinstance(award_id, str | int) and award_id in awards:
            issues += _date_signed_issues(contract, index, awards[award_id])
    return issues


# The capture rules as data, for what reports them outside validation: the importer's warnings
# and indicator MX-LAASSP (docs/indicadores.md), which both read :func:`capture_rule_breaches`.
CONTRACT_SIGNED_BEFORE_AWARD = "contract_signed_before_award"
CAPTURE_RULES = {
    CONTRACT_SIGNED_BEFORE_AWARD: {
        "source": "LAASSP art. 46",
        "text": gettext_lazy(
            "El contrato se firma después de la adjudicación (el fallo): contracts/dateSigned no "
            "puede ser anterior a awards/date de la adjudicación a la que remite (awardID)."
        ),
    },
}


@dataclass(frozen=True)
class CaptureRuleBreach:
    """A capture rule a process breaks, with the values that break it and the release that
    published the contract's signature date (empty when the releases were not given)."""

    rule: str
    contract_index: int
    contract_id: str
    award_id: str
    date_signed: str
    award_date: str
    release_id: str = ""

    @property
    def path(self) -> str:
        return f"contracts/{self.contract_index}/dateSigned"

    @property
    def source(self) -> str:
        return CAPTURE_RULES[self.rule]["source"]

    @property
    def message(self) -> str:
        return _(
            "El contrato %(contract)s se firmó (%(signed)s) antes de la adjudicación %(award)s "
            "(%(awarded)s); %(source)s pide firmarlo después del fallo."
        ) % {
            "contract": self.contract_id,
            "signed": self.date_signed,
            "award": self.award_id,
            "awarded": self.award_date,
            "source": self.source,
        }

    def as_evidence(self) -> dict:
        return {
            "rule": self.rule,
            "rule_text": str(CAPTURE_RULES[self.rule]["text"]),
            "source": self.source,
            "contract": self.contract_id,
            "award": self.award_id,
            "date_signed": self.date_signed,
            "award_date": self.award_date,
            "release_id": self.release_id,
        }


def capture_rule_breaches(compiled: dict, releases=()) -> list[CaptureRuleBreach]:
    """The capture rules the compiled release of a process breaks — what imported data may
    break (it is checked against OCDS only) and our own capture may not. ``releases`` (in
    publication order) say which release published each offending value."""
    if not isinstance(compiled, dict):
        return []
    awards = _award_dates(compiled, {})
    breaches = []
    for index, contract in enumerate(_objects(compiled, "contracts")):
        award_id = contract.get("awardID")
        if not isinstance(award_id, str | int) or award_id not in awards:
            continue
        if _date_signed_issues(contract, index, awards[award_id]):
            breaches.append(
                CaptureRuleBreach(
                    rule=CONTRACT_SIGNED_BEFORE_AWARD,
                    contract_index=index,
                    contract_id=str(contract.get("id") or ""),
                    award_id=str(award_id),
                    date_signed=contract["dateSigned"],
                    award_date=awards[award_id],
                    release_id=_publishing_release(releases, contract),
                )
            )
    return breaches


def _publishing_release(releases, contract: dict) -> str:
    """The id of the release from which the contract's dateSigned has its present value."""
    found = ""
    for release in releases:
        for published in _objects(release, "contracts") if isinstance(release, dict) else ():
            if published.get("id") != contract.get("id") or "dateSigned" not in published:
                continue
            if published["dateSigned"] == contract["dateSigned"]:
                found = found or str(release.get("id") or "")
            else:
                found = ""
    return found


# --- JSON Schema ---------------------------------------------------------------------------------


def _is_date_time(value) -> bool:
    return not isinstance(value, str) or bool(validate_rfc3339(value))


def _is_uri(value) -> bool:
    """An absolute URI (RFC 3986), as jsonschema checks ``format: uri`` for lib-cove-ocds."""
    return not isinstance(value, str) or bool(validate_rfc3986(value, rule="URI"))


def _is_email(value) -> bool:
    """jsonschema's own ``email`` check (what lib-cove-ocds applies): an ``@`` in the text."""
    return not isinstance(value, str) or "@" in value


# Every format the OCDS schema and its extensions use; each one is refused exactly where
# lib-cove-ocds reports it (tests/ocds_pages/test_validation_formats.py compares both).
FORMAT_CHECKS = {"date-time": _is_date_time, "uri": _is_uri, "email": _is_email}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, check in FORMAT_CHECKS.items():
        checker.checks(name)(check)
    return checker


def _canonical(value):
    """A hashable form equal for values JSON Schema calls equal: objects whatever their key
    order, 1 and 1.0, but never true and 1 (jsonschema's own ``equal``)."""
    if isinstance(value, dict):
        return ("object", frozenset((key, _canonical(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_canonical(item) for item in value))
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, int | float):
        return ("number", value)  # 1 == 1.0 and hash(1) == hash(1.0)
    return (type(value).__name__, value)


def _unique_items(validator, unique, instance, schema):
    """``uniqueItems`` in linear time. jsonschema compares every pair of objects (its ``uniq``
    falls back to a quadratic loop for unhashable items): a release with 2,023 awards and 2,024
    parties took 37 of its 43 s of validation there (docs/benchmarks.md, «Importar»)."""
    if not (unique and validator.is_type(instance, "array")):
        return
    seen = set()
    for item in instance:
        key = _canonical(item)
        if key in seen:
            yield ValidationError(f"{instance!r} has non-unique elements")
            return
        seen.add(key)


# Draft 4 with the linear uniqueItems; every other keyword is jsonschema's own.
ReleaseValidator = validators.extend(Draft4Validator, {"uniqueItems": _unique_items})


def _codelists_by_enum(node, found: dict[int, str]) -> dict[int, str]:
    """Map id() of each closed-codelist ``enum`` list in the schema to the codelist name."""
    if isinstance(node, dict):
        codelist = node.get("codelist")
        if codelist:
            enum = node.get("enum") or node.get("items", {}).get("enum")
            if enum is not None:
                found[id(enum)] = codelist.removesuffix(".csv")
        for value in node.values():
            _codelists_by_enum(value, found)
    elif isinstance(node, list):
        for value in node:
            _codelists_by_enum(value, found)
    return found


def inline_definitions(schema: dict) -> dict:
    """The schema with each local ``$ref`` replaced by a copy of its definition.

    jsonschema resolves every ``$ref`` through its registry at each use; validating against the
    inlined schema takes about a third less time (measured: 2.6 -> 1.6 ms a release). A ``$ref``
    that would recurse is left as is, and ``definitions`` stays so it still resolves.
    """
    definitions = schema.get("definitions", {})

    def inline(node, chain: tuple[str, ...]):
        if isinstance(node, list):
            return [inline(value, chain) for value in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref", "")
        name = ref.removeprefix("#/definitions/")
        if ref.startswith("#/definitions/") and name in definitions and name not in chain:
            return inline(definitions[name], (*chain, name))
        return {key: inline(value, chain) for key, value in node.items()}

    inlined = {key: inline(value, ()) for key, value in schema.items() if key != "definitions"}
    inlined["definitions"] = definitions
    return inlined


# Built once per state of the schema (a ReleaseSchema is hashed by the rows it was built from).
@lru_cache(maxsize=4)
def _validator(schema: ReleaseSchema) -> tuple[Draft4Validator, dict[int, str]]:
    inlined = inline_definitions(schema.data)
    return (
        ReleaseValidator(inlined, format_checker=_format_checker()),
        _codelists_by_enum(inlined, {}),
    )


def _join(path) -> str:
    return "/".join(str(part) for part in path)


def _schema_issues(release: dict, schema: ReleaseSchema) -> Iterator[ValidationIssue]:
    validator, codelists = _validator(schema)
    for error in validator.iter_errors(release):
        path = _join(error.absolute_path)
        if error.validator == "required":
            field = error.message.split("'")[1]
            path = f"{path}/{field}" if path else field
        yield ValidationIssue(path, _schema_message(error, codelists))


def _expected_types(types) -> str:
    names = [JSON_TYPE_NAMES.get(name, name) for name in _as_list(types) if name != "null"]
    return _(" o ").join(names)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _schema_message(error, codelists: dict[int, str]) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        return _("Falta el campo obligatorio '%(field)s'.") % {"field": error.message.split("'")[1]}
    if kind == "type":
        return _("Se esperaba %(expected)s.") % {"expected": _expected_types(expected)}
    if kind == "enum":
        return _enum_message(value, expected, codelists.get(id(expected)))
    if kind == "format":
        return _format_message(expected, value)
    if kind == "minLength":
        return _("El texto debe tener al menos %(count)s caracteres.") % {"count": expected}
    if kind == "minItems":
        return _("La lista debe tener al menos %(count)s elementos.") % {"count": expected}
    if kind == "uniqueItems":
        return _("La lista tiene elementos repetidos.")
    if kind == "pattern":
        return _("El valor '%(value)s' no tiene el formato esperado (%(pattern)s).") % {
            "value": value,
            "pattern": expected,
        }
    if kind in ("minimum", "maximum"):
        template = _("El valor debe ser mayor o igual que %(limit)s.")
        if kind == "maximum":
            template = _("El valor debe ser menor o igual que %(limit)s.")
        return template % {"limit": expected}
    return _("Valor no válido (%(rule)s): %(detail)s") % {"rule": kind, "detail": error.message}


def _format_message(name: str, value) -> str:
    if name == "uri":
        return _(
            "'%(value)s' no es una dirección URI completa (p. ej. https://ejemplo.gob.mx/pago/1)."
        ) % {"value": value}
    if name == "email":
        return _("'%(value)s' no es un correo electrónico.") % {"value": value}
    return _(
        "La fecha '%(value)s' no tiene el formato RFC 3339 (p. ej. 2024-01-31T12:00:00-06:00)."
    ) % {"value": value}


def _enum_message(value, allowed, codelist: str | None) -> str:
    if codelist:
        return _("El valor '%(value)s' no está en la lista cerrada %(codelist)s.") % {
            "value": value,
            "codelist": codelist,
        }
    choices = ", ".join(str(choice) for choice in allowed if choice is not None)
    return _("El valor '%(value)s' no es uno de los permitidos: %(choices)s.") % {
        "value": value,
        "choices": choices,
    }


# --- Rules the schema cannot express -------------------------------------------------------------


def _rule_issues(release, previous, ocid_prefix, language) -> list[ValidationIssue]:
    issues = list(_duplicate_ids(release, ""))
    issues += _identity_issues(release, ocid_prefix, language)
    issues += _tag_issues(release)
    issues += _period_issues(release, "")
    issues += _award_reference_issues(release, previous)
    issues += _buyer_issues(release, previous)
    return issues


def _duplicate_ids(node, path: str) -> Iterator[ValidationIssue]:
    """Objects in an array are merged by ``id``: a repeated id would silently lose data."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _duplicate_ids(value, f"{path}/{key}" if path else key)
        return
    if not isinstance(node, list):
        return
    seen = set()
    check = path.rsplit("/", 1)[-1] not in SCHEME_SCOPED_ARRAYS
    for index, element in enumerate(node):
        element_id = element.get("id") if isinstance(element, dict) else None
        if check and isinstance(element_id, str | int) and not isinstance(element_id, bool):
            if element_id in seen:
                yield ValidationIssue(
                    f"{path}/{index}/id",
                    _("El id '%(id)s' está repetido en %(array)s.")
                    % {"id": element_id, "array": path},
                )
            seen.add(element_id)
        yield from _duplicate_ids(element, f"{path}/{index}")


def _identity_issues(release, ocid_prefix, language) -> list[ValidationIssue]:
    issues = []
    prefix = settings.OCID_PREFIX if ocid_prefix == OWN_PREFIX else ocid_prefix
    ocid = release.get("ocid")
    if prefix and isinstance(ocid, str) and not ocid.startswith(f"{prefix}-"):
        issues.append(
            ValidationIssue(
                "ocid",
                _("El ocid '%(ocid)s' no empieza con el prefijo de esta instalación %(prefix)s-.")
                % {"ocid": ocid, "prefix": prefix},
            )
        )
    release_id = release.get("id")
    if isinstance(release_id, str) and "#" in release_id:
        issues.append(ValidationIssue("id", _("El id de la entrega no puede contener '#'.")))
    if language and release.get("language") != language:
        issues.append(
            ValidationIssue(
                "language",
                _("El idioma de la entrega debe ser '%(expected)s'.") % {"expected": language},
            )
        )
    return issues


def _has_section(release, section) -> bool:
    value = release.get(section)
    return bool(value) and isinstance(value, dict | list)


def _tag_issues(release) -> list[ValidationIssue]:
    tags = release.get("tag")
    if not isinstance(tags, list):
        return []
    issues = []
    for index, tag in enumerate(tags):
        section = TAG_SECTIONS.get(tag) if isinstance(tag, str) else None
        if section and not _has_section(release, section):
            issues.append(
                ValidationIssue(
                    f"tag/{index}",
                    _("La etiqueta '%(tag)s' requiere la sección '%(section)s' en la entrega.")
                    % {"tag": tag, "section": section},
                )
            )
    return issues


def parse_datetime(value) -> datetime | None:
    """An RFC 3339 date-time as an aware datetime; None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _period_issues(node, path: str) -> Iterator[ValidationIssue]:
    """Every Period (tenderPeriod, awardPeriod, contract period…) must start before it ends."""
    if isinstance(node, list):
        for index, element in enumerate(node):
            yield from _period_issues(element, f"{path}/{index}")
        return
    if not isinstance(node, dict):
        return
    start, end = parse_datetime(node.get("startDate")), parse_datetime(node.get("endDate"))
    if start and end and end < start:
        yield ValidationIssue(
            f"{path}/endDate" if path else "endDate",
            _("La fecha de fin (%(end)s) es anterior a la de inicio (%(start)s).")
            % {"end": node["endDate"], "start": node["startDate"]},
        )
    for key, value in node.items():
        yield from _period_issues(value, f"{path}/{key}" if path else key)


def _objects(release, key) -> list[dict]:
    value = release.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _award_dates(release, previous) -> dict:
    """Award id -> its date, from the compiled state updated by this release."""
    awards = {award.get("id"): award.get("date") for award in _objects(previous, "awards")}
    for award in _objects(release, "awards"):
        awards[award.get("id")] = award.get("date", awards.get(award.get("id")))
    return awards


def _award_reference_issues(release, previous) -> list[ValidationIssue]:
    awards = _award_dates(release, previous)
    issues = []
    for index, contract in enumerate(release.get("contracts") or []):
        if not isinstance(contract, dict) or "awardID" not in contract:
            continue
        award_id = contract["awardID"]
        if award_id not in awards:
            issues.append(
                ValidationIssue(
                    f"contracts/{index}/awardID",
                    _("El contrato hace referencia a la adjudicación '%(award)s', que no existe.")
                    % {"award": award_id},
                )
            )
    return issues


def _date_signed_issues(contract, index, award_date) -> list[ValidationIssue]:
    signed, awarded = parse_datetime(contract.get("dateSigned")), parse_datetime(award_date)
    if signed and awarded and signed < awarded:
        return [
            ValidationIssue(
                f"contracts/{index}/dateSigned",
                _("El contrato se firmó (%(signed)s) antes de la adjudicación (%(awarded)s).")
                % {"signed": contract["dateSigned"], "awarded": award_date},
            )
        ]
    return []


def _buyer_issues(release, previous) -> list[ValidationIssue]:
    buyer = release.get("buyer")
    if not isinstance(buyer, dict) or not buyer.get("id"):
        return []
    parties = {party.get("id"): party for party in _objects(previous, "parties")}
    parties.update({party.get("id"): party for party in _objects(release, "parties")})
    roles = (parties.get(buyer["id"]) or {}).get("roles") or []
    if isinstance(roles, list) and "buyer" in roles:
        return []
    return [
        ValidationIssue(
            "buyer/id",
            _("El comprador '%(id)s' no aparece en parties con el rol 'buyer'.")
            % {"id": buyer["id"]},
        )
    ]
