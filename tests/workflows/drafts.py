"""Small builders of stage drafts (OCDS-shaped, as captured) and of people for the flow tests."""

from cms.roles import Role
from tests.factories import make_entity, make_member, make_unit

SUPPLIER = {
    "id": "MX-RFC-MME920427EM3",
    "name": "Medicamentos Mexicanos, S.A. de C.V.",
    "identifier": {"scheme": "MX-RFC", "id": "MME920427EM3"},
    "roles": ["supplier", "tenderer"],
}
BIDDERS = [
    SUPPLIER,
    {
        "id": "MX-RFC-FAR010101AB1",
        "name": "Farmacéutica del Bajío, S.A. de C.V.",
        "roles": ["tenderer"],
    },
    {"id": "MX-RFC-DIS020202CD2", "name": "Distribuidora Norte, S.A.", "roles": ["tenderer"]},
]
ITEM = {
    "id": "1",
    "description": "Paracetamol tabletas de 500 mg, caja con 10",
    "classification": {"scheme": "CUCOP", "id": "25300002", "description": "Analgésicos"},
    "quantity": 12000,
    "unit": {"name": "Caja", "value": {"amount": 18.5, "currency": "MXN"}},
}


def ref(party):
    return {"id": party["id"], "name": party["name"]}


def people(entity_key="IMSS"):
    """An entity, a unit, two capturistas and two aprobadores of that unit."""
    entity = make_entity(entity_key, rfc="IMS421231I45")
    unit = make_unit(entity, "050GYR047", name="Coordinación de Abastecimiento")
    return {
        "entity": entity,
        "unit": unit,
        "capturista": make_member(Role.CAPTURISTA, entity, unit, f"cap-{entity_key}"),
        "capturista2": make_member(Role.CAPTURISTA, entity, unit, f"cap2-{entity_key}"),
        "aprobador": make_member(Role.APROBADOR, entity, unit, f"apr-{entity_key}"),
        "aprobador2": make_member(Role.APROBADOR, entity, None, f"apr2-{entity_key}"),
    }


def planning():
    return {"planning": {"rationale": "Abasto de analgésicos para el primer semestre."}}


def tender(procedure_type, *, days=21, reduction=""):
    tender = {
        "value": {"amount": 222000.0, "currency": "MXN"},
        "items": [ITEM],
    }
    drafted = {"tender": tender}
    if procedure_type == "adjudicacion_directa":
        tender["procurementMethodRationale"] = (
            "Artículo 41, fracción III de la LAASSP: caso fortuito por desabasto."
        )
        drafted["planning"] = {
            "requestsForQuotes": [
                {
                    "id": "1",
                    "title": "Investigación de mercado",
                    "invitedSuppliers": [ref(SUPPLIER)],
                    "quotes": [
                        {
                            "id": "1",
                            "value": {"amount": 222000.0, "currency": "MXN"},
                            "issuingSupplier": ref(SUPPLIER),
                        }
                    ],
                }
            ]
        }
        drafted["parties"] = [SUPPLIER]
        return drafted
    tender["tenderPeriod"] = {
        "startDate": "2026-02-02T09:00:00-06:00",
        "endDate": f"2026-02-{2 + days:02d}T09:00:00-06:00",
    }
    if reduction:
        tender["tenderPeriodReductionRationale"] = reduction
    if procedure_type == "invitacion3":
        tender["invitedSuppliers"] = [ref(party) for party in BIDDERS]
        drafted["parties"] = BIDDERS
    return drafted


def award(procedure_type):
    drafted = {
        "awards": [
            {
                "title": "Fallo",
                "value": {"amount": 221500.0, "currency": "MXN"},
                "suppliers": [ref(SUPPLIER)],
                "items": [ITEM],
            }
        ],
        "parties": [SUPPLIER],
    }
    if procedure_type != "adjudicacion_directa":
        drafted["bids"] = {
            "details": [
                {
                    "id": "1",
                    "status": "valid",
                    "tenderers": [ref(SUPPLIER)],
                    "value": {"amount": 221500.0, "currency": "MXN"},
                },
                {
                    "id": "2",
                    "status": "disqualified",
                    "statusDetails": "No acreditó experiencia.",
                    "tenderers": [ref(BIDDERS[1])],
                    "value": {"amount": 199000.0, "currency": "MXN"},
                },
            ],
        }
        drafted["tender"] = {
            "tenderers": [ref(SUPPLIER), ref(BIDDERS[1])],
        }
        drafted["parties"] = BIDDERS[:2]
    return drafted


def contract():
    return {
        "contracts": [
            {
                "title": "Contrato de suministro de paracetamol",
                "value": {"amount": 221500.0, "currency": "MXN"},
                "dateSigned": "2030-03-12T09:00:00-06:00",
                "period": {
                    "startDate": "2030-03-13T00:00:00-06:00",
                    "endDate": "2030-06-30T23:59:59-06:00",
                },
            }
        ]
    }


def implementation(number=1):
    return {
        "contracts": [
            {
                "implementation": {
                    "milestones": [
                        {
                            "id": f"entrega-{number}",
                            "title": f"Entrega {number}",
                            "type": "delivery",
                            "status": "met",
                            "dueDate": "2030-04-15T00:00:00-06:00",
                            "dateMet": "2030-04-14T10:00:00-06:00",
                        }
                    ],
                    "transactions": [
                        {
                            "id": f"pago-{number}",
                            "source": "https://www.gob.mx/shcp",
                            "date": "2030-04-20T10:00:00-06:00",
                            "value": {"amount": 55375.0, "currency": "MXN"},
                            "payer": {"id": "MX-RFC-IMS421231I45", "name": "IMSS"},
                            "payee": ref(SUPPLIER),
                        }
                    ],
                }
            }
        ]
    }


def contract_amendment():
    return {
        "contracts": [
            {
                "value": {"amount": 265800.0, "currency": "MXN"},
                "period": {"endDate": "2030-07-31T23:59:59-06:00"},
                "amendments": [
                    {
                        "rationale": "Incremento del 20 % (art. 52 LAASSP).",
                        "description": "Se amplía monto y vigencia.",
                    }
                ],
            }
        ]
    }


def tender_amendment():
    return {
        "tender": {
            "tenderPeriod": {"endDate": "2026-02-26T09:00:00-06:00"},
            "amendments": [{"rationale": "Junta de aclaraciones: se amplía el plazo."}],
        }
    }


def reason(key, text):
    """Drafts of cancellations, desierta and termination: the status reason."""
    if key == "tender":
        return {"tender": {"statusDetails": text}}
    return {key: [{"statusDetails": text}]}


def assert_releases_valid(ocid):
    """Every stored release of ``ocid`` validates against the state the earlier ones left."""
    import orjson

    from ocds_pages.compile import compile_releases
    from ocds_pages.models import Release
    from ocds_pages.validation import validate_release

    releases = [
        orjson.loads(text)
        for text in Release.objects.filter(ocid=ocid)
        .order_by("date", "pk")
        .values_list("data", flat=True)
    ]
    for index, release in enumerate(releases):
        previous = compile_releases(releases[:index]).compiled if index else None
        assert validate_release(release, previous=previous) == [], release["tag"]
    return releases
