"""Formats (uri, email, date-time) are refused wherever the schema declares them, exactly where
OCP's validator (lib-cove-ocds, through jsonschema's format checker) reports them (issue 22,
item 2)."""

import pytest
from jsonschema import FormatChecker

from ocds_pages.validation import FORMAT_CHECKS, validate_release
from tests.ocds_pages.factories import make_contract_release, make_entity, own_ocid


@pytest.fixture
def entity(db):
    return make_entity()


def contract_release(entity):
    return make_contract_release(ocid=own_ocid(entity), entity=entity)


def validate(release):
    """Its issues, with the award its contract points to published before."""
    previous = {"awards": [{"id": release["contracts"][0]["awardID"]}]}
    return validate_release(release, previous=previous)


def payment(**fields):
    return {
        "id": "5FB2822E-396D-4725-8521-CDC4BDD20CCF",
        "date": "2025-03-01T10:00:00-06:00",
        **fields,
    }


def test_a_folio_in_a_uri_field_is_refused_with_a_spanish_message(entity):
    release = contract_release(entity)
    release["tag"] = ["implementation"]
    release["contracts"][0]["implementation"] = {
        "transactions": [payment(source="5FB2822E-396D-4725-8521-CDC4BDD20CCF")]
    }
    issues = [(i.path, i.message) for i in validate(release)]
    assert issues == [
        (
            "contracts/0/implementation/transactions/0/source",
            "'5FB2822E-396D-4725-8521-CDC4BDD20CCF' no es una dirección URI completa "
            "(p. ej. https://ejemplo.gob.mx/pago/1).",
        )
    ]
    release["contracts"][0]["implementation"]["transactions"][0]["source"] = (
        "https://transparencia.example.gob.mx/pagos/1"
    )
    assert validate(release) == []


def test_uri_fields_of_every_definition_are_checked(entity):
    release = contract_release(entity)
    release["contracts"][0]["documents"] = [
        {"id": "1", "documentType": "contractSigned", "url": "contrato firmado.pdf"}
    ]
    release["parties"][0]["contactPoint"] = {"name": "Compras", "url": "www.ejemplo.gob.mx"}
    paths = [issue.path for issue in validate(release)]
    assert paths == ["contracts/0/documents/0/url", "parties/0/contactPoint/url"]


# Values seen in real and generated data: what jsonschema's own checkers (the ones lib-cove-ocds
# runs) accept or refuse, ours must too.
SAMPLES = {
    "uri": [
        "https://compranet.hacienda.gob.mx/esop/guest/go/opportunity/detail?opportunityId=1",
        "http://localhost:8000/ocds/extension/extension.json",
        "urn:uuid:5fb2822e-396d-4725-8521-cdc4bdd20ccf",
        "mailto:compras@imss.gob.mx",
        "5FB2822E-396D-4725-8521-CDC4BDD20CCF",
        "www.imss.gob.mx",
        "contrato firmado.pdf",
        "/media/documentos/1.pdf",
        "https://ejemplo.gob.mx/a b",
        "",
    ],
    "email": ["compras@imss.gob.mx", "compras(at)imss.gob.mx", ""],
    "date-time": [
        "2025-03-01T10:00:00-06:00",
        "2025-03-01T10:00:00Z",
        "2025-03-01T10:00:00.123+00:00",
        "2025-03-01",
        "2025-03-01T10:00:00",
        "01/03/2025",
    ],
}


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in SAMPLES.items() for value in values]
)
def test_our_format_checks_agree_with_the_ones_ocp_validator_uses(name, value):
    reference = FormatChecker()  # lib-cove's get_schema_validation_errors builds this one
    assert name in reference.checkers, "rfc3987 (a dependency of lib-cove) must be installed"
    assert FORMAT_CHECKS[name](value) == reference.conforms(value, name)
