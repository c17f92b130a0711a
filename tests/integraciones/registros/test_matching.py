"""Normalisation and the matching service the alerts call."""

import datetime
import uuid

import pytest
from django.utils import timezone

from devtools.fake_pdn import KNOWN, FakeRegistryServer
from integraciones.matching import CURP_EXACT, NORMALISED_NAME, RFC_EXACT, match_party
from integraciones.mirrors import store_records
from integraciones.models import RegistryProvider, Sat69bEvent, Sat69bTaxpayer
from ocds_pages.party_keys import normalise_curp, normalise_name, normalise_rfc


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Constructora del Valle, S.A. de C.V.", "CONSTRUCTORA DEL VALLE"),
        ("CONSTRUCTORA DEL VALLE SA DE CV", "CONSTRUCTORA DEL VALLE"),
        ("constructora  del   valle", "CONSTRUCTORA DEL VALLE"),
        ("Materiales Alfa, S. de R.L. de C.V.", "MATERIALES ALFA"),
        ("Despacho Jurídico Núñez, S.C.", "DESPACHO JURIDICO NUNEZ"),
        ("Fundación Luz, A.C.", "FUNDACION LUZ"),
        ("Grupo X SAPI DE CV", "GRUPO X"),
        ("Grupo X, S.A.P.I. de C.V.", "GRUPO X"),
        ("Constructora S.A.DE C.V.", "CONSTRUCTORA"),
        ("José Ángel Pérez-López", "JOSE ANGEL PEREZ LOPEZ"),
        ("S.A. de C.V.", "SA DE CV"),
        ("", ""),
    ],
)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


def test_normalise_rfc_and_curp_keep_their_letters():
    assert normalise_rfc(" peña-800101 ab1 ") == "PEÑA800101AB1"
    assert normalise_curp("lorm800101mdfpzr09") == "LORM800101MDFPZR09"
    assert normalise_rfc(None) == ""


@pytest.fixture
def mirrors(db, tmp_path):
    """Mirrors filled from the fakes' generated data, without a network round trip."""
    for system, version in (("s1", "v2"), ("s2", "v2"), ("s3", "v1"), ("s3", "v2")):
        fake = FakeRegistryServer(system=system, version=version, size=4)
        fake.stop()
        provider = RegistryProvider.objects.create(
            **fake.provider_fields(name=f"{system}-{version}")
        )
        for collection in fake.collections():
            store_records(
                provider=provider,
                collection=collection,
                records=fake.generator.records(collection),
                generation=uuid.uuid4(),
                fetched_at=timezone.now(),
            )
    taxpayer = Sat69bTaxpayer.objects.create(
        rfc="CVA010101AB1",
        name="CONSTRUCTORA DEL VALLE SA DE CV",
        name_normalised=normalise_name("CONSTRUCTORA DEL VALLE SA DE CV"),
        status="definitivo",
        source="prueba.csv",
        fetched_at=timezone.now(),
        raw={},
    )
    Sat69bEvent.objects.create(
        taxpayer=taxpayer, stage="definitivo", date=datetime.date(2019, 5, 2)
    )


def test_rfc_exact_finds_the_sanction_the_69b_entry_and_the_period(mirrors):
    matches = match_party(rfc="cva-010101-ab1")

    assert {(m.system, m.kind) for m in matches} == {("s3", RFC_EXACT), ("69b", RFC_EXACT)}
    sanction = next(m for m in matches if m.system == "s3")
    assert sanction.evidence["disqualifications"] == [
        {"start": "2024-01-15", "end": "2027-01-14", "term": "3 años"}
    ]
    assert sanction.record.rfc == "CVA010101AB1"
    sat = next(m for m in matches if m.system == "69b")
    assert sat.evidence["events"][0]["stage"] == "definitivo"


def test_curp_exact_finds_the_sanctioned_servant(mirrors):
    matches = match_party(curp=KNOWN["s3_servant"]["curp"])

    assert [(m.system, m.kind) for m in matches] == [("s3", CURP_EXACT)]
    assert matches[0].evidence["subject"] == "servidor"


def test_name_with_legal_form_matches_without_it(mirrors):
    matches = match_party(name="Constructora del Valle")

    found = {(m.system, m.kind, m.evidence.get("role")) for m in matches}
    assert ("s3", NORMALISED_NAME, "sancionado") in found
    assert ("69b", NORMALISED_NAME, None) in found
    # The S2 v2 servant intervened in a procedure that benefited this company.
    beneficiary = next(m for m in matches if m.evidence.get("role") == "persona_beneficiaria")
    assert beneficiary.evidence["file_numbers"] == [KNOWN["s2v2_servant"]["file_number"]]
    assert beneficiary.evidence["servant"]["rfc"] == KNOWN["s2v2_servant"]["rfc"]


def test_name_without_legal_form_matches_a_row_written_with_it(mirrors):
    matches = match_party(name="MATERIALES ALFA S DE RL DE CV")

    assert [(m.system, m.kind) for m in matches] == [("s3", NORMALISED_NAME)]
    assert matches[0].record.name == KNOWN["s3v2_company"]["name"]


def test_a_company_rfc_finds_the_declarant_who_holds_shares(mirrors):
    known = KNOWN["s1_declarant"]

    matches = match_party(rfc=known["company_rfc"])

    assert len(matches) == 1
    evidence = matches[0].evidence
    assert (matches[0].system, matches[0].kind) == ("s1", RFC_EXACT)
    assert evidence["role"] == "empresa_con_participacion"
    assert evidence["percentage"] == 60
    assert evidence["declarant"]["rfc"] == known["rfc"]
    assert evidence["declarant"]["entity_name"] == known["entity"]


def test_a_row_found_by_rfc_and_name_is_returned_once_as_rfc(mirrors):
    matches = match_party(rfc="CVA010101AB1", name="Constructora del Valle S.A. de C.V.")

    sanctions = [m for m in matches if m.system == "s3"]
    assert [m.kind for m in sanctions] == [RFC_EXACT]
    assert matches[0].kind == RFC_EXACT


def test_nothing_given_or_nothing_found_is_an_empty_list(mirrors):
    assert match_party() == []
    assert match_party(rfc="ZZZ999999ZZ9", name="Nadie en particular") == []
