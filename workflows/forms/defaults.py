"""The stage forms shipped with the system: OCDS core plus the EDCA-MX extensions it uses.

Installed by a data migration, so a new installation can capture every stage of every procedure
type on day one. Editors then adapt them in Wagtail (a change publishes a new version; these
remain as version 1). Labels are Spanish, as staff read them.
"""

from workflows.forms.spec import normalise_field, normalise_group, stream_from_spec


def field(key, label, field_type, path, *, required=False, **options):
    return normalise_field(
        {
            "key": key,
            "label": label,
            "field_type": field_type,
            "ocds_path": path,
            "required": required,
            **options,
        }
    )


def group(key, label, path, fields, *, min_rows=None, **options):
    return normalise_group(
        {
            "key": key,
            "label": label,
            "ocds_path": path,
            "fields": fields,
            "min_rows": min_rows,
            **options,
        }
    )


def document(key, label, path, document_type):
    return field(
        key,
        label,
        "file",
        path,
        document_type=document_type,
        help_text="PDF o imagen del documento firmado; se publica con su huella SHA-256.",
    )


DICTAMEN_DOCUMENT_TYPE = "evaluationReports"


def items_group(path, *, min_rows=1):
    return group(
        "partidas",
        "Partidas (bienes o servicios)",
        path,
        [
            field(
                "descripcion", "Descripción", "text", "description", required=True, max_length=400
            ),
            field(
                "cucop",
                "Clave CUCoP",
                "choice",
                "classification/id",
                choices="catalogue:cucop",
                help_text="Clasificador Único de las Contrataciones Públicas.",
            ),
            field("cantidad", "Cantidad", "decimal", "quantity", required=True, min_value=0),
            field("unidad", "Unidad de medida", "choice", "unit/id", choices="catalogue:units"),
            field("precioUnitario", "Precio unitario", "money", "unit/value", min_value=0),
        ],
        min_rows=min_rows,
        help_text="Una fila por bien o servicio.",
    )


def organizations(key, label, path, role, *, min_rows=1, help_text=""):
    return group(
        key,
        label,
        path,
        [
            field("nombre", "Nombre o razón social", "text", "name", required=True, max_length=300),
            field("rfc", "RFC", "rfc", "identifier/id", required=True),
        ],
        min_rows=min_rows,
        party_role=role,
        help_text=help_text,
    )


PLANNING = [
    field(
        "justificacion",
        "Justificación de la contratación",
        "long_text",
        "planning/rationale",
        required=True,
        help_text="Necesidad que se atiende y por qué se contrata.",
    ),
    field(
        "presupuestoDescripcion",
        "Descripción del presupuesto",
        "text",
        "planning/budget/description",
        max_length=400,
    ),
    field(
        "montoPresupuesto",
        "Monto presupuestado",
        "money",
        "planning/budget/amount",
        required=True,
        min_value=0,
    ),
    field("programa", "Programa presupuestario", "text", "planning/budget/project", max_length=200),
    group(
        "lineasPresupuestales",
        "Líneas presupuestales (EDCA-MX budgetLines)",
        "planning/budgetBreakdown/0/budgetLines",
        [
            field("componente", "Componente", "fixed", "components/0/name", default="partida"),
            field(
                "partida",
                "Partida específica",
                "integer",
                "components/0/code",
                required=True,
                min_value=10000,
                max_value=99999,
                help_text="Cinco dígitos del clasificador por objeto del gasto.",
            ),
            field("medida", "Medida", "fixed", "measures/0/id", default="aprobado"),
            field(
                "importe",
                "Importe aprobado",
                "money",
                "measures/0/value",
                required=True,
                min_value=0,
            ),
        ],
    ),
    group(
        "cotizaciones",
        "Investigación de mercado: cotizaciones (EDCA-MX requestForQuotes)",
        "planning/requestsForQuotes",
        [
            field("titulo", "Solicitud", "text", "title", required=True, max_length=300),
            field(
                "proveedor",
                "Proveedor que cotiza",
                "text",
                "quotes/0/issuingSupplier/name",
                required=True,
            ),
            field("fechaCotizacion", "Fecha de la cotización", "date", "quotes/0/date"),
            field(
                "importe", "Importe cotizado", "money", "quotes/0/value", required=True, min_value=0
            ),
        ],
        min_rows=None,
        visible_for=["adjudicacion_directa"],
        help_text="Cotizaciones de la investigación de mercado que sustenta la adjudicación.",
    ),
]


def tender_common(method_details):
    return [
        field(
            "titulo",
            "Título del procedimiento",
            "text",
            "tender/title",
            required=True,
            max_length=300,
        ),
        field("descripcion", "Descripción", "long_text", "tender/description", required=True),
        field(
            "categoria",
            "Categoría principal",
            "choice",
            "tender/mainProcurementCategory",
            required=True,
            choices="codelist:procurementCategory",
        ),
        field(
            "caracter",
            "Carácter del procedimiento",
            "text",
            "tender/procurementMethodDetails",
            default=method_details,
            max_length=200,
        ),
        field("montoEstimado", "Monto estimado", "money", "tender/value", min_value=0),
    ]


def tender_competitive(method_details):
    return [
        *tender_common(method_details),
        field(
            "inicioPropuestas",
            "Publicación de la convocatoria",
            "datetime",
            "tender/tenderPeriod/startDate",
        ),
        field(
            "finPropuestas",
            "Presentación y apertura de proposiciones",
            "datetime",
            "tender/tenderPeriod/endDate",
            required=True,
        ),
        field(
            "criterio",
            "Criterio de evaluación",
            "choice",
            "tender/awardCriteria",
            choices="codelist:awardCriteria",
        ),
        items_group("tender/items"),
        document("convocatoria", "Convocatoria", "tender/documents", "tenderNotice"),
    ]


TENDER_OPEN = tender_competitive("Licitación pública nacional")
TENDER_SELECTIVE = [
    *tender_competitive("Invitación a cuando menos tres personas"),
    organizations(
        "invitados",
        "Personas invitadas",
        "tender/tenderers",
        "tenderer",
        min_rows=3,
        help_text="Al menos tres personas invitadas (LAASSP art. 43).",
    ),
]
TENDER_DIRECT = [
    *tender_common("Adjudicación directa"),
    field(
        "fundamento",
        "Fundamento legal de la excepción",
        "choice",
        "tender/procurementMethodRationale",
        required=True,
        choices="catalogue:justifications",
        help_text="Artículo y fracción que permiten adjudicar sin licitación.",
    ),
    items_group("tender/items"),
    # The dictamen justifies awarding without a tender: OCDS's evaluationReports ("including the
    # justification for the award"), not a tenderNotice — there is no call for tenders.
    document("dictamen", "Dictamen de excepción", "tender/documents", DICTAMEN_DOCUMENT_TYPE),
]
CLARIFICATION_MEETING = [
    group(
        "juntas",
        "Juntas de aclaraciones (EDCA-MX clarificationMeetings)",
        "tender/clarificationMeetings",
        [
            field("fecha", "Fecha y hora", "datetime", "date", required=True),
        ],
        min_rows=1,
    ),
    document("actaJunta", "Acta de la junta de aclaraciones", "tender/documents", "clarifications"),
]
AMENDMENTS = [
    field("fecha", "Fecha", "datetime", "date", required=True),
    field("motivo", "Motivo", "long_text", "rationale", required=True),
    field("descripcion", "Qué cambia", "long_text", "description"),
]
TENDER_AMENDMENT = [
    group(
        "modificaciones",
        "Modificaciones a la convocatoria",
        "tender/amendments",
        AMENDMENTS,
        min_rows=1,
    ),
    field(
        "nuevoFin",
        "Nueva fecha de presentación de proposiciones",
        "datetime",
        "tender/tenderPeriod/endDate",
    ),
]
TENDER_CANCELLATION = [
    field(
        "motivo",
        "Motivo de la cancelación",
        "long_text",
        "tender/statusDetails",
        required=True,
        custom=True,
        help_text="Causa de la cancelación (LAASSP art. 38).",
    ),
    document("avisoCancelacion", "Aviso de cancelación", "tender/documents", "cancellationDetails"),
]
# The bids of the opening of proposals (OCDS bid extension, in the project extension); only
# competitive procedures have them. A disqualified bid's reason is required by the stage rules.
BIDS = group(
    "proposiciones",
    "Proposiciones (presentación y apertura)",
    "bids/details",
    [
        field("rfc", "RFC del licitante", "rfc", "tenderers/0/identifier/id", required=True),
        field(
            "nombre",
            "Nombre o razón social del licitante",
            "text",
            "tenderers/0/name",
            required=True,
            max_length=300,
        ),
        field("monto", "Monto de la proposición", "money", "value", required=True, min_value=0),
        field(
            "estado",
            "Resultado de la evaluación",
            "choice",
            "status",
            required=True,
            choices="codelist:bidStatus",
            help_text="Solvente (valid) o desechada (disqualified).",
        ),
        field(
            "motivo",
            "Motivo por el que se desechó",
            "long_text",
            "statusDetails",
            help_text="Obligatorio si la proposición se desechó.",
        ),
    ],
    visible_for=["lp_nacional", "lp_internacional", "lp_tratados", "invitacion3"],
    help_text="Una fila por proposición recibida: quién la presentó, su monto y el resultado.",
)
AWARD = [
    field("titulo", "Título del fallo", "text", "awards/0/title", max_length=300),
    field("fechaFallo", "Fecha del fallo", "datetime", "awards/0/date", required=True),
    field("monto", "Monto adjudicado", "money", "awards/0/value", required=True, min_value=0),
    organizations("proveedores", "Proveedores adjudicados", "awards/0/suppliers", "supplier"),
    items_group("awards/0/items", min_rows=None),
    document("actaFallo", "Acta de fallo", "awards/0/documents", "awardNotice"),
    BIDS,
]
AWARD_CANCELLATION = [
    field(
        "motivo",
        "Motivo de la cancelación",
        "long_text",
        "awards/0/statusDetails",
        required=True,
        custom=True,
    ),
]
# The validity of each guarantee (EDCA-MX guarantees/period): monitoring warns before it expires.
GUARANTEE_PERIOD = [
    field("inicioVigencia", "Inicio de vigencia", "date", "period/startDate"),
    field("finVigencia", "Fin de vigencia", "date", "period/endDate"),
]
CONTRACT = [
    field(
        "titulo", "Título del contrato", "text", "contracts/0/title", required=True, max_length=300
    ),
    field("descripcion", "Descripción", "long_text", "contracts/0/description"),
    field("monto", "Monto del contrato", "money", "contracts/0/value", required=True, min_value=0),
    field("fechaFirma", "Fecha de firma", "date", "contracts/0/dateSigned", required=True),
    field("inicio", "Inicio de vigencia", "date", "contracts/0/period/startDate"),
    field("fin", "Fin de vigencia", "date", "contracts/0/period/endDate"),
    items_group("contracts/0/items", min_rows=None),
    group(
        "garantias",
        "Garantías (EDCA-MX guarantees)",
        "contracts/0/guarantees",
        [
            field(
                "tipo",
                "Tipo de garantía",
                "text",
                "type",
                help_text="Código de la codelist guaranteeType de EDCA-MX, p. ej. fulfillment.",
            ),
            field("obligaciones", "Obligación garantizada", "text", "obligations"),
            field("monto", "Monto", "money", "value", min_value=0),
            field("fiadora", "Afianzadora", "text", "guarantor/name"),
            *GUARANTEE_PERIOD,
        ],
    ),
    document("contratoFirmado", "Contrato firmado", "contracts/0/documents", "contractSigned"),
]
CONTRACT_AMENDMENT = [
    group(
        "convenios", "Convenios modificatorios", "contracts/0/amendments", AMENDMENTS, min_rows=1
    ),
    field("nuevoMonto", "Nuevo monto del contrato", "money", "contracts/0/value", min_value=0),
    field("nuevoFin", "Nuevo fin de vigencia", "date", "contracts/0/period/endDate"),
]
CONTRACT_TERMINATION = [
    field(
        "motivo",
        "Motivo de la terminación",
        "long_text",
        "contracts/0/statusDetails",
        required=True,
        custom=True,
        help_text="Conclusión normal, terminación anticipada o rescisión, y por qué.",
    ),
    field("fechaTerminacion", "Fecha de terminación", "date", "contracts/0/period/endDate"),
]
# The folio fiscal (UUID) of the CFDI the supplier issued for a payment identifies the payment:
# it is the transaction's ``id`` (OCDS merges payments by it, so a later update of the same CFDI
# changes that payment instead of adding another). ``source`` is a URI in OCDS, never a folio.
CFDI_PATTERN = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
PAYMENT_FIELDS = [
    field(
        "beneficiario",
        "Beneficiario",
        "text",
        "payee/name",
        required=True,
        max_length=300,
        help_text="Proveedor que recibe el pago, como aparece en el contrato.",
    ),
    field(
        "rfcBeneficiario",
        "RFC del beneficiario",
        "rfc",
        "payee/identifier/id",
        required=True,
        help_text="Liga el pago con el proveedor en las partes publicadas.",
    ),
    field(
        "cfdi",
        "Folio fiscal (CFDI)",
        "text",
        "id",
        required=True,
        max_length=36,
        pattern=CFDI_PATTERN,
        help_text="UUID del comprobante que emitió el proveedor, p. ej. "
        "5FB2822E-396D-4725-8521-CDC4BDD20CCF; identifica el pago.",
    ),
]
PAYMENTS_PATH = "contracts/0/implementation/transactions"
# The acceptance of what was delivered (acta de entrega-recepción a entera satisfacción): one per
# delivery, a file of its milestone row published in that milestone's documents, so contract
# monitoring knows which delivery was received (issue 19; indicadores.monitoring.assess).
MILESTONES_PATH = "contracts/0/implementation/milestones"
MILESTONE_ACCEPTANCE = {
    **document(
        "actaRecepcion",
        "Acta de entrega-recepción a entera satisfacción",
        "documents",
        "completionCertificate",
    ),
    "help_text": "El acta firmada de esta entrega, cuando se recibió a entera satisfacción; se "
    "publica con la entrega y su huella SHA-256.",
}
# The contract-wide acceptance document migration 0014 added before the certificate moved to each
# delivery (migration 0015 moves it: publish_milestone_acceptance).
ACCEPTANCE_DOCUMENT = document(
    "actaRecepcion",
    "Acta de entrega-recepción a entera satisfacción",
    "contracts/0/implementation/documents",
    "completionCertificate",
)
# Penas convencionales and deducciones (LAASSP art. 53 and 53 Bis), in the project extension
# (contracts/implementation/penalties): contract monitoring adds them up per contract.
PENALTIES = group(
    "penas",
    "Penas convencionales y deducciones",
    "contracts/0/implementation/penalties",
    [
        field(
            "folio",
            "Folio",
            "text",
            "id",
            required=True,
            max_length=60,
            help_text="Número del oficio o de la nota de crédito que la aplica.",
        ),
        field("tipo", "Tipo", "choice", "type", required=True, choices="codelist:penaltyType"),
        field("monto", "Monto", "money", "value", required=True, min_value=0),
        field("motivo", "Motivo", "long_text", "description", required=True),
        field("fecha", "Fecha", "date", "date", required=True),
    ],
    help_text="Una fila por pena o deducción aplicada al proveedor.",
)
IMPLEMENTATION = [
    group(
        "pagos",
        "Pagos",
        PAYMENTS_PATH,
        [
            field("fecha", "Fecha de pago", "date", "date", required=True),
            field("importe", "Importe pagado", "money", "value", required=True, min_value=0),
            *PAYMENT_FIELDS,
        ],
    ),
    group(
        "entregas",
        "Entregas e hitos",
        "contracts/0/implementation/milestones",
        [
            field("titulo", "Hito", "text", "title", required=True),
            field("tipo", "Tipo", "choice", "type", choices="codelist:milestoneType"),
            field("fechaCompromiso", "Fecha comprometida", "date", "dueDate"),
            field("fechaCumplido", "Fecha de cumplimiento", "date", "dateMet"),
            field("estado", "Estado", "choice", "status", choices="codelist:milestoneStatus"),
            MILESTONE_ACCEPTANCE,
        ],
    ),
    PENALTIES,
]

# (stage, procedure type, Spanish title, fields): values of workflows.base.procedures.Stage and
# ProcedureType ("" for every procedure type), written out because migrations read this list.
DEFAULT_DEFINITIONS = [
    ("planning", "", "Planeación", PLANNING),
    ("tender", "lp_nacional", "Licitación pública nacional: convocatoria", TENDER_OPEN),
    (
        "tender",
        "lp_internacional",
        "Licitación pública internacional abierta: convocatoria",
        TENDER_OPEN,
    ),
    ("tender", "lp_tratados", "Licitación pública bajo tratados: convocatoria", TENDER_OPEN),
    ("tender", "invitacion3", "Invitación a cuando menos tres personas", TENDER_SELECTIVE),
    (
        "tender",
        "adjudicacion_directa",
        "Adjudicación directa: excepción a la licitación",
        TENDER_DIRECT,
    ),
    ("clarificationMeeting", "", "Junta de aclaraciones", CLARIFICATION_MEETING),
    ("tenderAmendment", "", "Modificación de la convocatoria", TENDER_AMENDMENT),
    ("tenderCancellation", "", "Cancelación del procedimiento", TENDER_CANCELLATION),
    ("award", "", "Fallo / adjudicación", AWARD),
    ("awardCancellation", "", "Cancelación de la adjudicación", AWARD_CANCELLATION),
    ("contract", "", "Contrato", CONTRACT),
    ("contractAmendment", "", "Convenio modificatorio", CONTRACT_AMENDMENT),
    ("contractTermination", "", "Terminación del contrato", CONTRACT_TERMINATION),
    ("implementation", "", "Ejecución: pagos y entregas", IMPLEMENTATION),
    ("implementationUpdate", "", "Actualización de la ejecución", IMPLEMENTATION),
]


def default_specs():
    """(stage, procedure type, title, spec) of every shipped definition."""
    for stage, procedure, title, fields in DEFAULT_DEFINITIONS:
        yield (
            stage,
            procedure,
            title,
            {"stage": stage, "procedure_type": procedure, "fields": fields},
        )


def install_default_forms(definitions, versions) -> int:
    """Create the shipped definitions that are missing, each published as version 1.

    Models are passed in so the data migration can use its historical ones. Returns how many
    definitions were created; existing ones (perhaps edited) are never touched.
    """
    created_count = 0
    for stage, procedure, title, spec in default_specs():
        definition, created = definitions.objects.get_or_create(
            stage=stage,
            procedure_type=procedure,
            entity=None,
            defaults={"title": title, "fields": stream_from_spec(spec), "live": True},
        )
        if created:
            versions.objects.create(
                definition=definition,
                number=1,
                stage=stage,
                procedure_type=procedure,
                title=title,
                spec=spec,
            )
            created_count += 1
    return created_count


def _publish_revised(definitions, versions, revise, **filters) -> int:
    """Publish a new version of each definition (``filters``) that ``revise`` changes.

    ``revise(stage, fields)`` gives the latest version's fields with what is missing, or None when
    nothing is. The latest version is kept as it is except for that, so editors' changes are not
    lost; drafts keep the version they were filled with. Models are passed in so the data
    migrations can use their historical ones. Returns how many versions were published.
    """
    published = 0
    for definition in definitions.objects.filter(**filters):
        latest = versions.objects.filter(definition=definition).order_by("-number").first()
        fields = latest and revise(definition.stage, latest.spec["fields"])
        if not fields:
            continue
        spec = {**latest.spec, "fields": fields}
        versions.objects.create(
            definition=definition,
            number=latest.number + 1,
            stage=definition.stage,
            procedure_type=definition.procedure_type,
            title=definition.title,
            spec=spec,
        )
        definition.fields = stream_from_spec(spec)
        definition.save(update_fields=["fields"])
        published += 1
    return published


def _replacing(outdated, replace):
    """A revision that replaces each item ``outdated`` finds, or None when it finds none."""

    def revise(stage: str, fields: list[dict]) -> list[dict] | None:
        if not any(outdated(item) for item in fields):
            return None
        return [replace(item) if outdated(item) else item for item in fields]

    return revise


def _with_bids(stage: str, fields: list[dict]) -> list[dict] | None:
    records_bids = any(
        item["kind"] == "group"
        and (item["key"] == BIDS["key"] or item["ocds_path"].strip("/") == BIDS["ocds_path"])
        for item in fields
    )
    return None if records_bids else [*fields, BIDS]


def publish_bids_group(definitions, versions) -> int:
    """Publish a new version of the national award forms that adds the Proposiciones group.

    For installations whose award form predates it (version 1 of migration 0002, or a version an
    editor published since): the latest version is kept, with the group appended.
    """
    return _publish_revised(definitions, versions, _with_bids, stage="award", entity=None)


def _payment_fields_outdated(group: dict) -> bool:
    """A Pagos group that writes the folio fiscal to ``source`` (a URI in OCDS) or has no RFC of
    the payee (payments could not be joined to the supplier's party)."""
    if group["kind"] != "group" or group["ocds_path"].strip("/") != PAYMENTS_PATH:
        return False
    paths = {item["ocds_path"].strip("/") for item in group["fields"]}
    return "source" in paths or "payee/identifier/id" not in paths


def _with_payment_fields(group: dict) -> dict:
    replaced = {item["key"] for item in PAYMENT_FIELDS}
    kept = [
        item
        for item in group["fields"]
        if item["key"] not in replaced and item["ocds_path"].strip("/") != "source"
    ]
    return {**group, "fields": [*kept, *PAYMENT_FIELDS]}


def publish_payment_fields(definitions, versions) -> int:
    """Publish a new version of the implementation forms whose payments carry the CFDI folio in
    ``source``: the folio becomes the transaction id and the payee's RFC is asked for."""
    return _publish_revised(
        definitions,
        versions,
        _replacing(_payment_fields_outdated, _with_payment_fields),
        stage__in=("implementation", "implementationUpdate"),
    )


def _dictamen_outdated(item: dict) -> bool:
    return (
        item.get("kind") == "field"
        and item.get("key") == "dictamen"
        and item.get("field_type") == "file"
        and item.get("document_type") == "tenderNotice"
    )


def publish_dictamen_document_type(definitions, versions) -> int:
    """Publish a new version of the forms whose «Dictamen de excepción» file was published as a
    tenderNotice, now with the document type of what it is (DICTAMEN_DOCUMENT_TYPE)."""
    return _publish_revised(
        definitions,
        versions,
        _replacing(
            _dictamen_outdated, lambda item: {**item, "document_type": DICTAMEN_DOCUMENT_TYPE}
        ),
        stage="tender",
    )


def _guarantees_outdated(item: dict) -> bool:
    if item.get("kind") != "group" or item["ocds_path"].strip("/") != "contracts/0/guarantees":
        return False
    paths = {child["ocds_path"] for child in item["fields"]}
    return any(f["ocds_path"] not in paths for f in GUARANTEE_PERIOD)


def _with_guarantee_period(item: dict) -> dict:
    paths = {child["ocds_path"] for child in item["fields"]}
    missing = [f for f in GUARANTEE_PERIOD if f["ocds_path"] not in paths]
    return {**item, "fields": [*item["fields"], *missing]}


def _all_keys(fields: list[dict]) -> set[str]:
    """Keys of the items and of their groups' fields (the certificate now sits in a group)."""
    keys = set()
    for item in fields:
        keys.add(item["key"])
        if item.get("kind") == "group":
            keys |= {child["key"] for child in item["fields"]}
    return keys


def _with_monitoring_fields(stage: str, fields: list[dict]) -> list[dict] | None:
    """``fields`` with what contract monitoring needs, or None when nothing is missing."""
    if stage == "contract":
        return _replacing(_guarantees_outdated, _with_guarantee_period)(stage, fields)
    keys = _all_keys(fields)
    added = [item for item in (ACCEPTANCE_DOCUMENT, PENALTIES) if item["key"] not in keys]
    return [*fields, *added] if added else None


def publish_monitoring_fields(definitions, versions) -> int:
    """Publish a new version of the implementation forms with the acceptance document and the
    penalties, and of the contract forms with the guarantees' validity (issue 19)."""
    stages = ("implementation", "implementationUpdate", "contract")
    return _publish_revised(definitions, versions, _with_monitoring_fields, stage__in=stages)


def _contract_wide_acceptance(item: dict) -> bool:
    return (
        item.get("kind") == "field"
        and item.get("field_type") == "file"
        and item.get("document_type") == "completionCertificate"
        and item["ocds_path"].strip("/") == "contracts/0/implementation/documents"
    )


def _with_milestone_acceptance(stage: str, fields: list[dict]) -> list[dict] | None:
    """``fields`` with the acceptance certificate in the deliveries' rows instead of once for the
    whole contract, or None when it is there already or there is no deliveries group."""
    milestones = next(
        (
            item
            for item in fields
            if item.get("kind") == "group" and item["ocds_path"].strip("/") == MILESTONES_PATH
        ),
        None,
    )
    if milestones is None or any(
        child.get("document_type") == "completionCertificate" for child in milestones["fields"]
    ):
        return None
    moved = {**milestones, "fields": [*milestones["fields"], MILESTONE_ACCEPTANCE]}
    return [
        moved if item is milestones else item
        for item in fields
        if not _contract_wide_acceptance(item)
    ]


def publish_milestone_acceptance(definitions, versions) -> int:
    """Publish a new version of the implementation forms that asks for the acceptance certificate
    with each delivery (milestone) instead of once for the contract (issue 19)."""
    return _publish_revised(
        definitions,
        versions,
        _with_milestone_acceptance,
        stage__in=("implementation", "implementationUpdate"),
    )
