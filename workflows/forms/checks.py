"""Safety at save: a form definition that would publish invalid OCDS is refused, with the reason.

Each problem names the block (and the row of a group) and the sub-field it is about, so the admin
shows it beside the offending field. The checks read the schema the releases are validated with.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ocds_pages.schema import committed_patched_schema
from workflows.base.procedures import ALL_PROCEDURES, ProcedureType, Stage
from workflows.forms import catalogues, ocds_paths
from workflows.forms.choices import FieldType
from workflows.forms.spec import is_visible

# The sections a stage's release may carry (planning may announce the planned tender).
STAGE_SECTIONS = {
    Stage.PLANNING: {"planning", "tender"},
    Stage.TENDER: {"tender", "planning"},
    Stage.CLARIFICATION_MEETING: {"tender"},
    Stage.TENDER_AMENDMENT: {"tender"},
    Stage.TENDER_CANCELLATION: {"tender"},
    # The fallo also records the bids it evaluated (presentación y apertura de proposiciones).
    Stage.AWARD: {"awards", "bids"},
    Stage.AWARD_CANCELLATION: {"awards"},
    Stage.CONTRACT: {"contracts"},
    Stage.CONTRACT_AMENDMENT: {"contracts"},
    Stage.CONTRACT_TERMINATION: {"contracts"},
    Stage.IMPLEMENTATION: {"contracts"},
    Stage.IMPLEMENTATION_UPDATE: {"contracts"},
}
# What a stage's release must say for every procedure type (a required field or a group with rows).
STAGE_REQUIRED = {
    Stage.PLANNING: ["planning/rationale", "planning/budget/amount"],
    Stage.TENDER: ["tender/title", "tender/description", "tender/mainProcurementCategory"],
    Stage.CLARIFICATION_MEETING: ["tender/clarificationMeetings"],
    Stage.TENDER_AMENDMENT: ["tender/amendments"],
    Stage.TENDER_CANCELLATION: ["tender/statusDetails"],
    Stage.AWARD: ["awards/0/date", "awards/0/value", "awards/0/suppliers"],
    Stage.AWARD_CANCELLATION: ["awards/0/statusDetails"],
    Stage.CONTRACT: ["contracts/0/title", "contracts/0/value", "contracts/0/dateSigned"],
    Stage.CONTRACT_AMENDMENT: ["contracts/0/amendments"],
    Stage.CONTRACT_TERMINATION: ["contracts/0/statusDetails"],
    Stage.IMPLEMENTATION: [],
    Stage.IMPLEMENTATION_UPDATE: [],
}
# Extra requirements by OCDS procurementMethod of the procedure type (LAASSP art. 40: a direct
# award states its legal ground; the competitive procedures their period for proposals).
PROCEDURE_REQUIRED = {
    (Stage.TENDER, "open"): ["tender/tenderPeriod/endDate"],
    (Stage.TENDER, "selective"): ["tender/tenderPeriod/endDate"],
    (Stage.TENDER, "direct"): ["tender/procurementMethodRationale"],
}
# Paths the engine writes itself (ids OCDS merges by, the method, the parties).
SYSTEM_PATHS = {
    "ocid",
    "id",
    "date",
    "tag",
    "language",
    "initiationType",
    "buyer",
    "parties",
    "tender/id",
    "tender/procurementMethod",
    "tender/status",
    "awards/0/id",
    "awards/0/status",
    "contracts/0/id",
    "contracts/0/awardID",
    "contracts/0/status",
}
TYPE_JSON = {
    FieldType.TEXT: {"string"},
    FieldType.LONG_TEXT: {"string"},
    FieldType.INTEGER: {"integer", "number"},
    FieldType.DECIMAL: {"number"},
    FieldType.DATE: {"string"},
    FieldType.DATETIME: {"string"},
    FieldType.BOOLEAN: {"boolean"},
    FieldType.CHOICE: {"string"},
    FieldType.RFC: {"string"},
    FieldType.CURP: {"string"},
    FieldType.FIXED: {"string", "number", "integer", "boolean"},
}
TYPE_NAMES = {
    "string": "texto",
    "number": "número",
    "integer": "entero",
    "boolean": "sí/no",
    "array": "lista",
    "object": "objeto",
}


@dataclass(frozen=True)
class DefinitionIssue:
    """One problem: block ``index`` (row ``child`` of a group, if any), sub-field, message."""

    index: int | None
    child: int | None
    field: str
    message: str


class _Checker:
    def __init__(self, stage: str, procedure_type: str):
        self.stage, self.procedure_type = stage, procedure_type
        self.schema = committed_patched_schema()
        self.issues: list[DefinitionIssue] = []
        self.paths: dict[str, tuple[int, int | None]] = {}

    def add(self, index, child, field, message):
        self.issues.append(DefinitionIssue(index, child, field, message))

    # -- one field ---------------------------------------------------------------------------
    def field(self, item: dict, index: int, child: int | None, base: str = ""):
        path = ocds_paths.join(base, item.get("ocds_path") or "")
        if item.get("field_type") not in FieldType.values:
            self.add(index, child, "field_type", _("Elija el tipo del campo."))
            return
        if not path:
            self.add(index, child, "ocds_path", _("Indique la ruta OCDS del campo."))
            return
        self._limits(item, index, child)
        if not self._choices_ok(item, index, child):
            return
        if item.get("custom"):
            self._custom(item, path, index, child)
        else:
            node = ocds_paths.resolve(path, schema=self.schema)
            if node is None:
                self.add(
                    index,
                    child,
                    "ocds_path",
                    _(
                        "La ruta «%(path)s» no existe en OCDS 1.1.5 ni en las extensiones "
                        "declaradas. Corríjala o marque «Campo propio»."
                    )
                    % {"path": path},
                )
                return
            self._type_matches(item, node, path, index, child)
        self._collision(path, index, child)

    def _limits(self, item, index, child):
        low, high = item.get("min_value"), item.get("max_value")
        if low is not None and high is not None and float(low) > float(high):
            self.add(index, child, "max_value", _("El máximo es menor que el mínimo."))
        short, long = item.get("min_length"), item.get("max_length")
        if short is not None and long is not None and short > long:
            self.add(index, child, "max_length", _("La longitud máxima es menor que la mínima."))
        if item.get("pattern"):
            try:
                re.compile(item["pattern"])
            except re.error:
                self.add(
                    index, child, "pattern", _("El patrón no es una expresión regular válida.")
                )
        if item["field_type"] == FieldType.FIXED and not item.get("default"):
            self.add(index, child, "default", _("Un valor fijo necesita el valor que escribe."))

    def _choices_ok(self, item, index, child) -> bool:
        if item["field_type"] != FieldType.CHOICE:
            return True
        source = item.get("choices") or ""
        try:
            kind, name = catalogues.parse_source(source)
        except catalogues.UnknownSource:
            self.add(index, child, "choices", _("Indique de qué lista salen las opciones."))
            return False
        if kind == "codelist" and not catalogues.codelist_exists(name):
            self.add(
                index,
                child,
                "choices",
                _("La codelist «%(name)s» no existe en OCDS 1.1.5.") % {"name": name},
            )
            return False
        if kind == "catalogue" and name not in catalogues.CATALOGUES_NAMES:
            self.add(
                index, child, "choices", _("El catálogo «%(name)s» no existe.") % {"name": name}
            )
            return False
        return True

    def _type_matches(self, item, node, path, index, child):
        kind = item["field_type"]
        if kind == FieldType.MONEY:
            ok = node.definition == "Value"
        elif kind == FieldType.FILE:
            items = ocds_paths.resolve(f"{path}/0", schema=self.schema)
            ok = "array" in node.types and items is not None and items.definition == "Document"
        else:
            ok = bool(node.types & TYPE_JSON[kind])
        if not ok:
            self.add(
                index,
                child,
                "field_type",
                _(
                    "El tipo «%(type)s» no corresponde a «%(path)s», que en el esquema es "
                    "%(expected)s."
                )
                % {"type": FieldType(kind).label, "path": path, "expected": self._describe(node)},
            )
            return
        self._codelist_matches(item, node, path, index, child)

    def _describe(self, node) -> str:
        if node.definition:
            return node.definition
        return ", ".join(sorted(TYPE_NAMES.get(t, t) for t in node.types)) or "?"

    def _codelist_matches(self, item, node, path, index, child):
        enum = node.node.get("enum")
        kind = item["field_type"]
        if kind == FieldType.FIXED and enum and item.get("default") not in enum:
            self.add(
                index,
                child,
                "default",
                _("«%(value)s» no es un valor permitido en «%(path)s».")
                % {"value": item.get("default"), "path": path},
            )
        if kind not in (FieldType.CHOICE, FieldType.FIXED) and enum:
            self.add(
                index,
                child,
                "field_type",
                _("«%(path)s» toma valores de la codelist %(codelist)s: use «Opción de una lista».")
                % {"path": path, "codelist": node.codelist or "?"},
            )
        if kind == FieldType.CHOICE and node.codelist:
            _kind, name = catalogues.parse_source(item["choices"])
            source_codelist = "documentType" if name == "document_types" else name
            if source_codelist != node.codelist:
                self.add(
                    index,
                    child,
                    "choices",
                    _("«%(path)s» espera la codelist %(expected)s, no «%(source)s».")
                    % {"path": path, "expected": node.codelist, "source": item["choices"]},
                )

    def _custom(self, item, path, index, child):
        if ocds_paths.resolve(path, schema=self.schema) is not None:
            self.add(
                index,
                child,
                "custom",
                _("«%(path)s» ya existe en OCDS o EDCA-MX: desmarque «Campo propio».")
                % {"path": path},
            )
            return
        parent_path, _sep, name = path.rpartition("/")
        parent = ocds_paths.resolve(parent_path, schema=self.schema)
        if parent is None or not parent.definition or not re.match(r"^[a-z][A-Za-z0-9]*$", name):
            self.add(
                index,
                child,
                "ocds_path",
                _(
                    "Un campo propio va dentro de un objeto OCDS existente y su nombre es "
                    "camelCase "
                    "(p. ej. tender/montoMinimoMipymes); «%(path)s» no cumple."
                )
                % {"path": path},
            )

    def _collision(self, path, index, child):
        if path in SYSTEM_PATHS:
            self.add(
                index,
                child,
                "ocds_path",
                _("La ruta «%(path)s» la escribe el sistema; elija otra.") % {"path": path},
            )
            return
        for other, where in self.paths.items():
            if other == path or other.startswith(f"{path}/") or path.startswith(f"{other}/"):
                self.add(
                    index,
                    child,
                    "ocds_path",
                    _(
                        "La ruta «%(path)s» choca con «%(other)s» del campo %(where)s: dos campos "
                        "escribirían el mismo dato."
                    )
                    % {"path": path, "other": other, "where": where[0] + 1},
                )
                return
        self.paths[path] = (index, child)

    # -- groups and the whole form -----------------------------------------------------------------
    def group(self, group: dict, index: int):
        path = ocds_paths.join(group["ocds_path"])
        node = ocds_paths.resolve(path, schema=self.schema)
        row = ocds_paths.resolve(f"{path}/0", schema=self.schema)
        if node is None or "array" not in node.types or row is None or "object" not in row.types:
            self.add(
                index,
                None,
                "ocds_path",
                _(
                    "Un grupo repetible escribe en una lista de objetos OCDS "
                    "(p. ej. tender/items); "
                    "«%(path)s» no lo es."
                )
                % {"path": path},
            )
            return
        self._collision(path, index, None)
        row_paths, self.paths = self.paths, {}
        for child, item in enumerate(group["fields"]):
            self.field(item, index, child, base=f"{path}/0")
        self.paths = row_paths
        self._keys(group["fields"], index)

    def _keys(self, items, group_index=None):
        seen = set()
        for position, item in enumerate(items):
            index, child = (group_index, position) if group_index is not None else (position, None)
            if item["key"] in seen:
                self.add(index, child, "key", _("La clave «%(key)s» está repetida.") % item)
            seen.add(item["key"])

    def section(self, item, index):
        section = ocds_paths.split(item["ocds_path"])[:1]
        allowed = STAGE_SECTIONS.get(self.stage, set())
        if section and section[0] not in allowed and section[0] not in SYSTEM_PATHS:
            self.add(
                index,
                None,
                "ocds_path",
                _("Esta etapa publica %(allowed)s; «%(path)s» pertenece a otra sección.")
                % {"allowed": ", ".join(sorted(allowed)), "path": item["ocds_path"]},
            )
            return False
        return True

    def required(self, items):
        if self.procedure_type == ALL_PROCEDURES:
            procedures = list(ProcedureType)
        else:
            procedures = [ProcedureType(self.procedure_type)]
        for procedure in procedures:
            needed = STAGE_REQUIRED.get(self.stage, []) + PROCEDURE_REQUIRED.get(
                (self.stage, procedure.procurement_method), []
            )
            covered = {
                ocds_paths.join(i["ocds_path"])
                for i in items
                if is_visible(i, procedure) and _is_mandatory(i)
            }
            for path in needed:
                if path not in covered:
                    self.add(
                        None,
                        None,
                        "fields",
                        _(
                            "Falta un campo obligatorio que escriba «%(path)s»: la etapa "
                            "«%(stage)s» (%(procedure)s) no publica OCDS completo sin él."
                        )
                        % {
                            "path": path,
                            "stage": Stage(self.stage).label,
                            "procedure": procedure.label,
                        },
                    )


def _is_mandatory(item: dict) -> bool:
    if item["kind"] == "group":
        return bool(item.get("min_rows"))
    return bool(item.get("required")) or item["field_type"] == FieldType.FIXED


def check_spec(spec: dict, *, stage: str, procedure_type: str) -> list[DefinitionIssue]:
    """Every reason the definition would publish invalid or incomplete OCDS (empty: it is safe)."""
    checker = _Checker(stage, procedure_type)
    items = spec["fields"]
    checker._keys(items)
    for index, item in enumerate(items):
        if not checker.section(item, index):
            continue
        if item["kind"] == "group":
            checker.group(item, index)
        else:
            checker.field(item, index, None)
    checker.required(items)
    return checker.issues
