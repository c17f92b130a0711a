"""Fields the Mexican procedures need that OCDS 1.1 core lacks, declared in the project extension.

They are registered through ``ocds_pages.extension`` (the hook a higher layer uses), so releases
carrying them validate and the published extension documents them. The bids are not here: their
structure (the OCDS bid extension, ``bids/details``) is in the committed project extension, so the
form definition checks, which read the committed schema, accept a group that records them.
"""

from ocds_pages.extension import patched_release_schema, register_extension_fields

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


def register() -> None:
    register_extension_fields(definition="Tender", fields=TENDER_FIELDS)
    register_extension_fields(definition="Award", fields=STATUS_DETAILS)
    register_extension_fields(definition="Contract", fields=STATUS_DETAILS)


def ensure_registered() -> None:
    """Declare them again if something withdrew them (the forms' sync withdraws the custom
    fields it declared, and a form may declare statusDetails too)."""
    definitions = patched_release_schema()["definitions"]
    wanted = {"Tender": TENDER_FIELDS, "Award": STATUS_DETAILS, "Contract": STATUS_DETAILS}
    for name, fields in wanted.items():
        if not set(fields) <= set(definitions[name]["properties"]):
            register()
            return
