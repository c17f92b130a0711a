"""Registry indicators: positive, negative and not-computable cases for each (real mirror rows)."""

import json

from indicadores.outcomes import OutcomeStatus, Severity
from integraciones.matching import NORMALISED_NAME, RFC_EXACT
from integraciones.models import S3Sanction
from tests.indicadores import builders as b

FLAGGED, CLEAR, UNKNOWN = (
    OutcomeStatus.FLAGGED,
    OutcomeStatus.NOT_FLAGGED,
    OutcomeStatus.NOT_COMPUTABLE,
)


def only(outcomes):
    assert len(outcomes) == 1, outcomes
    json.dumps(outcomes[0].evidence)  # evidence is always JSON-serialisable
    return outcomes[0]


# --- MX-SANC ------------------------------------------------------------------------------------


def test_sanc_flags_a_supplier_disqualified_at_the_award(outcomes_of):
    b.s3_sanction(periods=(("2025-01-01", "2027-12-31"),))
    outcome = only(outcomes_of("MX-SANC", b.view(b.compiled())))
    assert outcome.status == FLAGGED
    assert outcome.severity == Severity.HIGH
    assert outcome.subject == f"MX-RFC-{b.SUPPLIER_RFC}"
    match = outcome.evidence["matches"][0]
    assert match["match_kind"] == RFC_EXACT
    assert match["source"] == "s3-prueba" and match["fetched_at"]
    assert match["file_number"] == "EXP-001/2024"
    assert {"moment": "award", "date": "2025-03-05"} in match["active_on"]
    assert "EXP-001/2024" in outcome.explanation and "RFC" in outcome.explanation


def test_sanc_matches_by_normalised_name_when_the_supplier_has_no_rfc(outcomes_of):
    b.s3_sanction(name="CONSTRUCTORA DEL VALLE SA DE CV")
    supplier = b.party(name="Constructora del Valle, S.A. de C.V.", rfc="")
    outcome = only(outcomes_of("MX-SANC", b.view(b.compiled(suppliers=[supplier]))))
    assert outcome.status == FLAGGED
    assert outcome.evidence["matches"][0]["match_kind"] == NORMALISED_NAME


def test_sanc_is_time_aware_a_payment_inside_the_period_flags(outcomes_of):
    # The ban starts after the signature: only the payment of 2025-09-01 falls inside it.
    b.s3_sanction(periods=(("2025-06-01", "2026-05-31"),))
    release = b.compiled(payments=["2025-04-01T10:00:00-06:00", "2025-09-01T10:00:00-06:00"])
    outcome = only(outcomes_of("MX-SANC", b.view(release)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["matches"][0]["active_on"] == [
        {"moment": "payment", "date": "2025-09-01"}
    ]


def test_sanc_flags_a_bidder_at_the_date_of_its_bid(outcomes_of):
    b.s3_sanction(name="Materiales Alfa", rfc="MAL020202CD3", periods=(("2025-02-01", None),))
    release = b.compiled(bidders=[("Materiales Alfa", "MAL020202CD3")])
    outcomes = {o.subject: o for o in outcomes_of("MX-SANC", b.view(release))}
    assert outcomes["MX-RFC-MAL020202CD3"].status == FLAGGED
    assert outcomes["MX-RFC-MAL020202CD3"].evidence["matches"][0]["active_on"] == [
        {"moment": "bid", "date": "2025-02-24"}
    ]
    assert outcomes[f"MX-RFC-{b.SUPPLIER_RFC}"].status == CLEAR


def test_sanc_does_not_flag_an_expired_ban_nor_a_namesake(outcomes_of):
    b.s3_sanction(periods=(("2019-01-01", "2021-12-31"),))
    b.s3_sanction(rfc="OTR990101XX1", periods=(("2025-01-01", "2027-12-31"),))  # same name
    outcome = only(outcomes_of("MX-SANC", b.view(b.compiled())))
    assert outcome.status == CLEAR
    # The expired sanction is shown (no longer active); the namesake with another RFC is not.
    assert [m["active_on"] for m in outcome.evidence["matches"]] == [[]]


def test_sanc_ignores_sanctions_of_public_servants(outcomes_of):
    b.s3_sanction(subject=S3Sanction.Subject.SERVANT)
    assert only(outcomes_of("MX-SANC", b.view(b.compiled()))).status == CLEAR


def test_sanc_is_not_computable_without_s3_data(outcomes_of):
    b.provider("s3", synced=False)
    outcome = only(outcomes_of("MX-SANC", b.view(b.compiled())))
    assert outcome.status == UNKNOWN
    assert "S3" in outcome.missing[0]


def test_sanc_is_not_computable_without_any_date(outcomes_of):
    b.s3_sanction()
    release = b.compiled(award_date=None, signed=None, tender_end=None)
    outcome = only(outcomes_of("MX-SANC", b.view(release)))
    assert outcome.status == UNKNOWN
    assert "awards/date" in outcome.missing


def test_sanc_does_not_apply_before_there_are_parties(outcomes_of):
    b.s3_sanction()
    assert outcomes_of("MX-SANC", b.view(b.compiled(awarded=False))) == []


# --- MX-EFOS ------------------------------------------------------------------------------------


def test_efos_definitivo_before_the_award_is_high(outcomes_of):
    b.taxpayer(events=(("presunto", "2023-05-01"), ("definitivo", "2024-02-01")))
    outcome = only(outcomes_of("MX-EFOS", b.view(b.compiled())))
    assert outcome.status == FLAGGED
    assert outcome.severity == Severity.HIGH
    match = outcome.evidence["matches"][0]
    assert match["match_kind"] == RFC_EXACT and match["source"] == "Listado_Completo_69-B.csv"
    assert match["status_on"][0] == {
        "moment": "award",
        "date": "2025-03-05",
        "status": "definitivo",
    }
    assert "Definitivo" in outcome.explanation or "definitivo" in outcome.explanation


def test_efos_presunto_is_medium(outcomes_of):
    b.taxpayer(events=(("presunto", "2025-01-10"),))
    outcome = only(outcomes_of("MX-EFOS", b.view(b.compiled())))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.MEDIUM)


def test_efos_disproved_before_the_award_and_later_listings_do_not_flag(outcomes_of):
    b.taxpayer(events=(("presunto", "2023-01-10"), ("desvirtuado", "2024-01-10")))
    b.taxpayer(
        rfc="TAR150101AB2", name="Tardía", events=(("definitivo", "2026-01-10"),)
    )  # listed after the whole process
    late = b.party(name="Tardía", rfc="TAR150101AB2")
    release = b.compiled(suppliers=[None, late])
    outcomes = outcomes_of("MX-EFOS", b.view(release))
    assert [o.status for o in outcomes] == [CLEAR, CLEAR]


def test_efos_is_not_computable_without_the_69b_list(outcomes_of):
    outcome = only(outcomes_of("MX-EFOS", b.view(b.compiled())))
    assert outcome.status == UNKNOWN
    assert "69-B" in outcome.missing[0]


# --- MX-CONFLICT --------------------------------------------------------------------------------


def test_conflict_servant_who_intervened_declared_a_share_in_the_supplier(outcomes_of):
    release = b.compiled()
    b.servant(file_numbers=[release["ocid"]])
    b.declaration(entity_name="Otra dependencia")
    outcome = only(outcomes_of("MX-CONFLICT", b.view(release)))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.HIGH)
    match = outcome.evidence["matches"][0]
    assert match["link"]["kind"] == "s2_intervened"
    assert match["link"]["procedures"][0]["file_number"] == release["ocid"]
    assert match["participation"]["percentage"] == 40
    assert match["match_kind"] == RFC_EXACT
    assert "intervino" in outcome.explanation


def test_conflict_any_declarant_of_the_buying_entity(outcomes_of):
    b.declaration(name="Luis Hernández Soto", rfc="HESL700707AB3", entity_name=b.BUYER_NAME)
    b.provider("s2")
    outcome = only(outcomes_of("MX-CONFLICT", b.view(b.compiled())))
    assert outcome.status == FLAGGED
    assert outcome.evidence["matches"][0]["link"] == {
        "kind": "s1_entity",
        "entity_name": b.BUYER_NAME,
    }


def test_conflict_by_normalised_name_says_so(outcomes_of):
    b.declaration(entity_name=b.BUYER_NAME, company="CONSTRUCTORA DEL VALLE", company_rfc="")
    outcome = only(outcomes_of("MX-CONFLICT", b.view(b.compiled())))
    assert outcome.status == FLAGGED
    assert outcome.evidence["matches"][0]["match_kind"] == NORMALISED_NAME
    assert "nombre normalizado" in outcome.explanation


def test_conflict_not_flagged_for_a_declarant_elsewhere(outcomes_of):
    release = b.compiled()
    b.servant(file_numbers=["OTRO-EXPEDIENTE"])
    b.declaration(entity_name="Otra dependencia")
    outcome = only(outcomes_of("MX-CONFLICT", b.view(release)))
    assert outcome.status == CLEAR
    assert outcome.evidence["matches"] == []


def test_conflict_is_not_computable_without_s1(outcomes_of):
    b.provider("s2")
    outcome = only(outcomes_of("MX-CONFLICT", b.view(b.compiled())))
    assert outcome.status == UNKNOWN
    assert "S1" in outcome.missing[0]


# --- MX-SERV-SANC -------------------------------------------------------------------------------


def test_serv_sanc_servant_disqualified_during_the_procedure(outcomes_of):
    release = b.compiled()
    b.servant(file_numbers=[release["tender"]["id"]])
    b.s3_sanction(
        name="Ana Torres Díaz",
        rfc="TODA820303QW2",
        subject=S3Sanction.Subject.SERVANT,
        periods=(("2024-06-01", "2026-05-31"),),
    )
    outcome = only(outcomes_of("MX-SERV-SANC", b.view(release)))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.HIGH)
    assert outcome.evidence["servant"]["name"] == "Ana Torres Díaz"
    assert outcome.evidence["matches"][0]["match_kind"] == RFC_EXACT


def test_serv_sanc_an_older_sanction_is_medium(outcomes_of):
    release = b.compiled()
    b.servant(file_numbers=[release["ocid"]])
    b.s3_sanction(
        name="Ana Torres Díaz",
        rfc="TODA820303QW2",
        subject=S3Sanction.Subject.SERVANT,
        periods=(("2018-01-01", "2019-01-01"),),
    )
    outcome = only(outcomes_of("MX-SERV-SANC", b.view(release)))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.MEDIUM)


def test_serv_sanc_servant_without_sanctions(outcomes_of):
    release = b.compiled()
    b.servant(file_numbers=[release["ocid"]])
    b.s3_sanction()  # a company's sanction is not the servant's
    assert only(outcomes_of("MX-SERV-SANC", b.view(release))).status == CLEAR


def test_serv_sanc_not_computable_when_s2_lists_nobody_for_the_procedure(outcomes_of):
    b.servant(file_numbers=["OTRO"])
    b.s3_sanction()
    outcome = only(outcomes_of("MX-SERV-SANC", b.view(b.compiled())))
    assert outcome.status == UNKNOWN
    assert "S2" in outcome.missing[0]


def test_serv_sanc_not_computable_without_s3(outcomes_of):
    release = b.compiled()
    b.servant(file_numbers=[release["ocid"]])
    outcome = only(outcomes_of("MX-SERV-SANC", b.view(release)))
    assert outcome.status == UNKNOWN
    assert "S3" in outcome.missing[0]


# --- MX-NEWCO -----------------------------------------------------------------------------------


def test_newco_company_incorporated_months_before_the_award(outcomes_of):
    young = b.party(name="Nueva Empresa", rfc="NEM240601AB1")
    outcome = only(outcomes_of("MX-NEWCO", b.view(b.compiled(suppliers=[young]))))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.MEDIUM)
    assert outcome.evidence["incorporated"] == "2024-06-01"
    assert outcome.evidence["age_days"] == 277
    assert outcome.evidence["incorporation_source"] == "rfc"
    assert "RFC" in outcome.explanation


def test_newco_older_company_and_personas_fisicas(outcomes_of):
    person = b.party(name="Juan Pérez", rfc="PEGJ750505XY1")
    release = b.compiled(suppliers=[None, person])
    outcome = only(outcomes_of("MX-NEWCO", b.view(release)))  # the persona física is skipped
    assert outcome.status == CLEAR
    assert outcome.evidence["incorporated"] == "2015-01-01"


def test_newco_threshold_is_data(outcomes_of, settings):
    settings.INDICADORES_UMBRALES = {"MX-NEWCO": {"days": 200}}
    young = b.party(name="Nueva Empresa", rfc="NEM240601AB1")
    outcome = only(outcomes_of("MX-NEWCO", b.view(b.compiled(suppliers=[young]))))
    assert outcome.status == CLEAR
    assert outcome.evidence["thresholds"] == {"days": 200}


def test_newco_not_computable_without_rfc_or_with_an_invalid_one(outcomes_of):
    release = b.compiled(
        suppliers=[b.party(name="Sin RFC", rfc=""), b.party(name="Mal RFC", rfc="MAL999999AB1")]
    )
    outcomes = outcomes_of("MX-NEWCO", b.view(release))
    assert [o.status for o in outcomes] == [UNKNOWN, UNKNOWN]
    assert outcomes[0].missing == ("parties/identifier/id (RFC)",)
