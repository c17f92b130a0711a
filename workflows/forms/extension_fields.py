"""Fields the Mexican procedures need that OCDS 1.1 core lacks, declared in the project extension.

They are rows of the project extension (``ocds_pages.extension.extension_fields_register``, under
the source ``workflows``), written after every ``migrate`` and when the forms are reinstalled
(``form_services.extension_fields_sync``), so releases carrying them validate in every process and
the published extension documents them. The bids are not here: their structure (the OCDS bid
extension, ``bids/details``) is in the committed project extension, so the form definition checks,
which read the committed schema, accept a group that records them.
"""

from ocds_pages.extension import extension_fields_register

SOURCE = "workflows"

STATUS_DETAILS = {
    "statusDetails": {
        "title": "Status details",
        "description": "The reason for the current status, in the publisher's words "
        "(e.g. why a tender was cancelled or declared unsuccessful, why a contract was "
        "terminated early).",
        "type": ["string", "null"],
    }
}

TENDER_FIELDS = {
    **STATUS_DETAILS,
    "invitedSuppliers": {
        "title": "Invited suppliers",
        "description": "The suppliers invited to a selective procedure (invitación a cuando "
        "menos tres personas).",
        "type": "array",
        "items": {"$ref": "#/definitions/OrganizationReference"},
    },
    "tenderPeriodReductionRationale": {
        "title": "Tender period reduction rationale",
        "description": "Why the tender period is shorter than the legal minimum, when it is.",
        "type": ["string", "null"],
    },
}


FIELDS = {"Tender": TENDER_FIELDS, "Award": STATUS_DETAILS, "Contract": STATUS_DETAILS}


def register() -> None:
    """Write them as rows (idempotent: nothing changes when they are already there)."""
    extension_fields_register(source=SOURCE, fields=FIELDS)
