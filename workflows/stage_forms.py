"""Stage forms the workflows add to the shipped defaults (workflows.defaults).

The fallo of a licitación or an invitación records the proposals received at the act of
presentation and opening (bids with tenderer, amount, result and the reason a bid was
disqualified), which the default award form, shared by every procedure, does not ask for.
The bids are declared in the project extension by workflows.extension_fields.
"""

from workflows.defaults import AWARD, field, group

BIDS = group(
    "proposiciones",
    "Proposiciones recibidas (acto de presentación y apertura)",
    "tender/bids",
    [
        field("licitante", "Licitante", "text", "tenderers/0/name", required=True, max_length=300),
        field("rfc", "RFC del licitante", "rfc", "tenderers/0/identifier/id", required=True),
        field("monto", "Monto de la proposición", "money", "value", required=True, min_value=0),
        field(
            "resultado",
            "Resultado de la evaluación",
            "text",
            "status",
            required=True,
            pattern=r"^(valid|disqualified)$",
            help_text="valid (solvente) o disqualified (desechada).",
        ),
        field(
            "motivo",
            "Motivo del desechamiento",
            "long_text",
            "statusDetails",
            help_text="Obligatorio si la proposición se desechó.",
        ),
    ],
    min_rows=1,
    help_text="Una fila por proposición recibida.",
)

AWARD_COMPETITIVE = [*AWARD, BIDS]

# (stage, procedure type, Spanish title, fields)
WORKFLOW_DEFINITIONS = [
    ("award", "open", "Fallo de la licitación pública", AWARD_COMPETITIVE),
    (
        "award",
        "selective",
        "Fallo de la invitación a cuando menos tres personas",
        AWARD_COMPETITIVE,
    ),
]


def workflow_specs():
    for stage, procedure, title, fields in WORKFLOW_DEFINITIONS:
        spec = {"stage": stage, "procedure_type": procedure, "fields": fields}
        yield stage, procedure, title, spec
