"""Broken releases are rejected with path-specific Spanish messages."""

import pytest

from ocds_pages.validation import ValidationIssue, validate_release
from tests.ocds_pages.factories import (
    SUPPLIER,
    make_award_release,
    make_contract_release,
    make_entity,
    make_tender_release,
    own_ocid,
)


@pytest.fixture
def entity(db):
    return make_entity()


def issues_of(release, **kwargs):
    return [(issue.path, issue.message) for issue in validate_release(release, **kwargs)]


def test_a_complete_tender_is_valid(entity):
    assert validate_release(make_tender_release(ocid=own_ocid(entity), entity=entity)) == []


def test_wrong_types_are_reported_at_their_path(entity):
    release = make_tender_release(ocid=own_ocid(entity), entity=entity)
    release["tender"]["value"]["amount"] = "250 mil"
    release["tender"]["items"][0]["quantity"] = [12]
    release["tender"]["title"] = 7

    assert issues_of(release) == [
        ("tender/items/0/quantity", "Se esperaba un número."),
        ("tender/title", "Se esperaba un texto."),
        ("tender/value/amount", "Se esperaba un número."),
    ]


def test_missing_required_fields_name_the_field(entity):
    release = make_tender_release(ocid=own_ocid(entity), entity=entity)
    del release["id"]
    del release["tender"]["items"][0]["id"]

    assert issues_of(release) == [
        ("id", "Falta el campo obligatorio 'id'."),
        ("tender/items/0/id", "Falta el campo obligatorio 'id'."),
    ]


def test_values_outside_closed_codelists_name_the_codelist(entity):
    release = make_tender_release(ocid=own_ocid(entity), entity=entity)
    release["tag"] = ["licitacion"]
    release["tender"]["procurementMethod"] = "directa"
    release["tender"]["value"]["currency"] = "PESOS"

    assert issues_of(release) == [
        ("tag/0", "El valor 'licitacion' no está en la lista cerrada releaseTag."),
        ("tender/procurementMethod", "El valor 'directa' no está en la lista cerrada method."),
        ("tender/value/currency", "El valor 'PESOS' no está en la lista cerrada currency."),
    ]


def test_duplicate_ids_in_arrays_are_reported_on_the_repeated_element(entity):
    release = make_award_release(ocid=own_ocid(entity), entity=entity)
    release["parties"].append(dict(SUPPLIER, name="Medicamentos Mexicanos (sucursal)"))
    release["awards"][0]["items"].append({"id": "1", "description": "Ibuprofeno 400 mg"})

    assert issues_of(release) == [
        ("awards/0/items/1/id", "El id '1' está repetido en awards/0/items."),
        ("parties/2/id", f"El id '{SUPPLIER['id']}' está repetido en parties."),
    ]


def test_dates_must_be_rfc3339_with_time_zone(entity):
    release = make_tender_release(ocid=own_ocid(entity), entity=entity, date="03/02/2025")

    assert issues_of(release) == [
        (
            "date",
            "La fecha '03/02/2025' no tiene el formato RFC 3339 "
            "(p. ej. 2024-01-31T12:00:00-06:00).",
        )
    ]


def test_a_period_that_ends_before_it_starts_is_rejected(entity):
    release = make_tender_release(
        ocid=own_ocid(entity),
        entity=entity,
        tender={
            "tenderPeriod": {
                "startDate": "2025-02-24T10:00:00-06:00",
                "endDate": "2025-02-03T10:00:00-06:00",
            }
        },
    )

    assert issues_of(release) == [
        (
            "tender/tenderPeriod/endDate",
            "La fecha de fin (2025-02-03T10:00:00-06:00) es anterior a la de inicio "
            "(2025-02-24T10:00:00-06:00).",
        )
    ]


def test_a_contract_signed_before_its_award_is_rejected(entity):
    ocid = own_ocid(entity)
    previous = make_award_release(ocid=ocid, entity=entity)
    contract = make_contract_release(
        ocid=ocid, entity=entity, contract={"dateSigned": "2025-03-01T09:00:00-06:00"}
    )

    assert issues_of(contract, previous=previous) == [
        (
            "contracts/0/dateSigned",
            "El contrato se firmó (2025-03-01T09:00:00-06:00) antes de la adjudicación "
            "(2025-03-05T12:00:00-06:00).",
        )
    ]


def test_a_contract_must_reference_an_existing_award(entity):
    ocid = own_ocid(entity)
    contract = make_contract_release(ocid=ocid, entity=entity)

    assert issues_of(contract) == [
        (
            "contracts/0/awardID",
            f"El contrato hace referencia a la adjudicación '{ocid}-award-1', que no existe.",
        )
    ]
    assert issues_of(contract, previous=make_award_release(ocid=ocid, entity=entity)) == []


def test_a_tag_needs_its_section(entity):
    release = make_tender_release(ocid=own_ocid(entity), entity=entity)
    release["tag"] = ["tender", "award"]

    assert issues_of(release) == [
        ("tag/1", "La etiqueta 'award' requiere la sección 'awards' en la entrega.")
    ]


def test_the_buyer_must_be_a_party_with_the_buyer_role(entity):
    release = make_tender_release(ocid=own_ocid(entity), entity=entity)
    release["parties"][0]["roles"] = ["procuringEntity"]

    assert issues_of(release) == [
        (
            "buyer/id",
            f"El comprador 'MX-RFC-{entity.rfc}' no aparece en parties con el rol 'buyer'.",
        )
    ]


def test_own_releases_need_our_prefix_and_spanish_but_imports_do_not(entity, settings):
    settings.OCID_PREFIX = "ocds-a1b2c3"
    release = make_tender_release(ocid="ocds-213czf-000-00001", entity=entity)
    release["language"] = "en"

    assert issues_of(release) == [
        ("language", "El idioma de la entrega debe ser 'es'."),
        (
            "ocid",
            "El ocid 'ocds-213czf-000-00001' no empieza con el prefijo de esta instalación "
            "ocds-a1b2c3-.",
        ),
    ]
    assert issues_of(release, ocid_prefix=None, language=None) == []


def test_something_that_is_not_an_object_is_one_issue_at_the_root():
    assert validate_release(["no", "es", "una", "entrega"]) == [
        ValidationIssue("", "Se esperaba un objeto JSON (una entrega OCDS).")
    ]
