"""Transparency and execution indicators: positive, negative and not-computable cases for each."""

import datetime
import json

import pytest

from indicadores.engine.runner import evaluate_record
from indicadores.indicators.transparency import official_holidays
from indicadores.outcomes import OutcomeStatus
from ocds_pages.models import Record
from ocds_pages.publication import publish_releases
from tests.indicadores import builders as b
from tests.ocds_pages.factories import (
    make_award_release,
    make_contract_release,
    make_entity,
    make_release,
    make_tender_release,
    own_ocid,
)

FLAGGED, CLEAR, UNKNOWN = (
    OutcomeStatus.FLAGGED,
    OutcomeStatus.NOT_FLAGGED,
    OutcomeStatus.NOT_COMPUTABLE,
)


def only(outcomes):
    assert len(outcomes) == 1, outcomes
    json.dumps(outcomes[0].evidence)
    return outcomes[0]


def contract_of(release) -> dict:
    return release["contracts"][0]


def doc(kind):
    return {"id": kind, "documentType": kind, "url": f"https://example.gob.mx/{kind}.pdf"}


# --- MX-DOCS ------------------------------------------------------------------------------------


def test_docs_missing_fallo_and_contract(outcomes_of):
    release = b.compiled(tender={"documents": [doc("tenderNotice"), doc("clarifications")]})
    outcome = only(outcomes_of("MX-DOCS", b.view(release)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["missing"] == ["evaluationReports", "awardNotice", "contractSigned"]
    assert "acta de fallo" in outcome.explanation


def test_docs_complete_for_a_direct_award(outcomes_of):
    release = b.compiled(tender={"procurementMethod": "direct"})
    contract_of(release)["documents"] = [doc("contractSigned")]
    outcome = only(outcomes_of("MX-DOCS", b.view(release)))
    assert outcome.status == CLEAR and outcome.evidence["required"] == ["contractSigned"]


def test_docs_not_eligible_before_anything_is_required(outcomes_of):
    # A direct award without a contract yet requires no document; there is nothing to miss.
    release = b.compiled(tender={"procurementMethod": "direct"}, signed=None)
    assert outcomes_of("MX-DOCS", b.view(release)) == []


# --- MX-LATEPUB ---------------------------------------------------------------------------------


def test_latepub_first_publication_after_the_contract_started(db):
    entity = make_entity()
    ocid = own_ocid(entity, 1)
    releases = [
        make_tender_release(ocid=ocid, entity=entity, date="2025-04-01T10:00:00-06:00"),
        make_award_release(ocid=ocid, entity=entity, date="2025-04-02T10:00:00-06:00"),
        make_contract_release(ocid=ocid, entity=entity, date="2025-04-03T10:00:00-06:00"),
    ]
    publish_releases(releases=releases, entity=entity)
    outcomes = evaluate_record(Record.objects.get(ocid=ocid))
    outcome = next(o for o in outcomes if o.code == "MX-LATEPUB")
    assert outcome.status == FLAGGED
    assert outcome.evidence == {
        "thresholds": {"days": 0},
        "first_published": "2025-04-01",
        "contract_start": "2025-03-13",
    }


def test_latepub_published_before(outcomes_of):
    release = b.compiled()
    contract_of(release)["period"] = {"startDate": "2025-03-20T00:00:00-06:00"}
    assert only(outcomes_of("MX-LATEPUB", b.view(release))).status == CLEAR


def test_latepub_not_computable_without_a_start(outcomes_of):
    outcome = only(outcomes_of("MX-LATEPUB", b.view(b.compiled())))
    assert outcome.missing == ("contracts/period/startDate",)


# --- MX-AMEND / MX-AMENDN -----------------------------------------------------------------------


def published_contract(entity, serial=1):
    ocid = own_ocid(entity, serial)
    releases = [
        make_tender_release(ocid=ocid, entity=entity),
        make_award_release(ocid=ocid, entity=entity),
        make_contract_release(ocid=ocid, entity=entity),
    ]
    publish_releases(releases=releases, entity=entity)
    return ocid


def amended(record: Record, *, amount, end, count=1) -> dict:
    release = json.loads(record.compiled_release)
    contract = contract_of(release)
    contract["value"]["amount"] = amount
    contract["period"]["endDate"] = end
    contract["amendments"] = [
        {"id": str(n), "date": "2025-05-01T10:00:00-06:00"} for n in range(count)
    ]
    return release


def test_amend_candidate_raises_the_value_more_than_20_percent(outcomes_of):
    entity = make_entity()
    record = Record.objects.get(ocid=published_contract(entity))
    release = amended(record, amount=280000.0, end="2025-06-30T23:59:59-06:00")
    outcome = only(outcomes_of("MX-AMEND", b.view(release, stage="contractAmendment")))
    assert outcome.status == FLAGGED
    assert outcome.evidence["original_amount"] == 222000.0
    assert outcome.evidence["original_from"] == "versionedRelease"
    assert round(outcome.evidence["value_increase"], 3) == 0.261
    assert "monto" in outcome.explanation


def test_amend_published_amendment_extending_the_period(db):
    entity = make_entity()
    ocid = published_contract(entity)
    amendment = make_release(
        ocid=ocid,
        number=4,
        date="2025-05-01T10:00:00-06:00",
        tag=["contractAmendment"],
        entity=entity,
        contracts=[
            {
                "id": f"{ocid}-contract-1",
                "awardID": f"{ocid}-award-1",
                "period": {
                    "startDate": "2025-03-13T00:00:00-06:00",
                    "endDate": "2025-08-30T23:59:59-06:00",
                },
                "amendments": [{"id": "1", "date": "2025-05-01T10:00:00-06:00"}],
            }
        ],
    )
    publish_releases(releases=[amendment], entity=entity)
    outcomes = evaluate_record(Record.objects.get(ocid=ocid))
    outcome = next(o for o in outcomes if o.code == "MX-AMEND")
    assert outcome.status == FLAGGED
    assert outcome.evidence["original_period"] == ["2025-03-13", "2025-06-30"]
    assert outcome.evidence["value_increase"] == 0.0
    assert "plazo" in outcome.explanation


def test_amend_small_increase_and_count(outcomes_of):
    entity = make_entity()
    record = Record.objects.get(ocid=published_contract(entity))
    release = amended(record, amount=230000.0, end="2025-07-10T23:59:59-06:00", count=3)
    view = b.view(release, stage="contractAmendment")
    assert only(outcomes_of("MX-AMEND", view)).status == CLEAR
    outcome = only(outcomes_of("MX-AMENDN", view))
    assert outcome.status == FLAGGED and outcome.evidence["amendments"] == 3
    two = amended(record, amount=230000.0, end="2025-07-10T23:59:59-06:00", count=2)
    assert only(outcomes_of("MX-AMENDN", b.view(two))).status == CLEAR


def test_amend_not_computable_without_amount_or_period(outcomes_of):
    release = b.compiled()
    contract = contract_of(release)
    contract.pop("value")
    contract["amendments"] = [{"id": "1"}]
    outcome = only(outcomes_of("MX-AMEND", b.view(release)))
    assert outcome.status == UNKNOWN
    assert outcome.missing == ("contracts/value/amount", "contracts/period")


# --- payments -----------------------------------------------------------------------------------


def with_payments(*payments, signed="2025-03-12T09:00:00-06:00", value=500000):
    release = b.compiled(signed=signed)
    contract = contract_of(release)
    contract["value"] = {"amount": value, "currency": "MXN"} if value is not None else {}
    contract["implementation"] = {
        "transactions": [
            {"id": str(n), "date": date, "value": {"amount": amount, "currency": "MXN"}}
            for n, (date, amount) in enumerate(payments)
        ]
    }
    return release


def test_overpay_payments_above_the_contract(outcomes_of):
    release = with_payments(
        ("2025-04-01T10:00:00-06:00", 300000), ("2025-05-01T10:00:00-06:00", 250000)
    )
    outcome = only(outcomes_of("MX-OVERPAY", b.view(release)))
    assert outcome.status == FLAGGED and outcome.evidence["paid"] == 550000.0


def test_overpay_within_the_contract_and_without_payments(outcomes_of):
    release = with_payments(("2025-04-01T10:00:00-06:00", 500000))
    assert only(outcomes_of("MX-OVERPAY", b.view(release))).status == CLEAR
    assert outcomes_of("MX-OVERPAY", b.view(b.compiled())) == []


def test_overpay_not_computable_without_the_contract_value(outcomes_of):
    release = with_payments(("2025-04-01T10:00:00-06:00", 1), value=None)
    assert only(outcomes_of("MX-OVERPAY", b.view(release))).status == UNKNOWN


def test_payearly_payment_before_signature(outcomes_of):
    release = with_payments(("2025-03-01T10:00:00-06:00", 1), ("2025-04-01T10:00:00-06:00", 1))
    outcome = only(outcomes_of("MX-PAYEARLY", b.view(release)))
    assert outcome.status == FLAGGED and outcome.evidence["early_payments"] == ["2025-03-01"]


def test_payearly_after_signature_and_without_signature(outcomes_of):
    release = with_payments(("2025-04-01T10:00:00-06:00", 1))
    assert only(outcomes_of("MX-PAYEARLY", b.view(release))).status == CLEAR
    unsigned = with_payments(("2025-04-01T10:00:00-06:00", 1))
    contract_of(unsigned).pop("dateSigned")
    assert only(outcomes_of("MX-PAYEARLY", b.view(unsigned))).status == UNKNOWN


# --- R060, MX-LONG, MX-ROUND --------------------------------------------------------------------


def test_r060_signature_long_after_the_award(outcomes_of):
    release = b.compiled(signed="2025-04-30T09:00:00-06:00")
    outcome = only(outcomes_of("R060", b.view(release)))
    assert outcome.status == FLAGGED and outcome.evidence["days"] == 56


def test_r060_signature_within_the_legal_term(outcomes_of):
    outcome = only(outcomes_of("R060", b.view(b.compiled())))
    assert outcome.status == CLEAR and outcome.evidence["days"] == 7


def test_r060_not_computable_without_the_award_date(outcomes_of):
    release = b.compiled()
    release["awards"][0].pop("date")
    assert only(outcomes_of("R060", b.view(release))).status == UNKNOWN


def test_long_contract(outcomes_of):
    release = b.compiled()
    contract_of(release)["period"] = {
        "startDate": "2025-01-01T00:00:00-06:00",
        "endDate": "2028-01-01T00:00:00-06:00",
    }
    outcome = only(outcomes_of("MX-LONG", b.view(release)))
    assert outcome.status == FLAGGED and outcome.evidence["days"] == 1095
    contract_of(release)["period"]["endDate"] = "2025-12-31T00:00:00-06:00"
    assert only(outcomes_of("MX-LONG", b.view(release))).status == CLEAR
    contract_of(release).pop("period")
    assert only(outcomes_of("MX-LONG", b.view(release))).status == UNKNOWN


def test_round_amount(outcomes_of):
    outcome = only(outcomes_of("MX-ROUND", b.view(b.compiled())))  # 500,000
    assert outcome.status == FLAGGED
    release = b.compiled()
    contract_of(release)["value"]["amount"] = 512345.67
    assert only(outcomes_of("MX-ROUND", b.view(release))).status == CLEAR
    contract_of(release).pop("value")
    assert only(outcomes_of("MX-ROUND", b.view(release))).status == UNKNOWN


# --- MX-HOLIDAY ---------------------------------------------------------------------------------


def test_official_holidays_follow_the_lft():
    days = official_holidays(2025)
    assert {d.isoformat() for d in days} == {
        "2025-01-01",
        "2025-02-03",
        "2025-03-17",
        "2025-05-01",
        "2025-09-16",
        "2025-11-17",
        "2025-12-25",
    }
    assert "2024-10-01" in {d.isoformat() for d in official_holidays(2024)}


def test_holiday_signature_on_a_holiday(outcomes_of):
    release = b.compiled(
        signed="2025-09-16T09:00:00-06:00", tender_start="2025-02-04T10:00:00-06:00"
    )
    outcome = only(outcomes_of("MX-HOLIDAY", b.view(release)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["holidays"] == [
        {"path": "contracts/dateSigned", "date": "2025-09-16", "reason": "16 de septiembre"}
    ]


def test_holiday_working_days_and_installation_holidays(outcomes_of, settings):
    release = b.compiled()  # 2025-02-03 (first Monday of February!) is the tender start
    release["tender"]["tenderPeriod"]["startDate"] = "2025-02-04T10:00:00-06:00"
    assert only(outcomes_of("MX-HOLIDAY", b.view(release))).status == CLEAR
    settings.INDICADORES_UMBRALES = {"MX-HOLIDAY": {"extra_holidays": ["2025-03-05"]}}
    assert only(outcomes_of("MX-HOLIDAY", b.view(release))).status == FLAGGED


def test_holiday_not_computable_without_dates(outcomes_of):
    release = b.compiled(tender_start=None, tender_end=None, signed=None)
    release["awards"][0].pop("date")
    assert only(outcomes_of("MX-HOLIDAY", b.view(release))).status == UNKNOWN


def test_holiday_rows_of_the_administrator(outcomes_of):
    import datetime

    from indicadores.engine.stats_model import OfficialHoliday

    release = b.compiled(tender_start="2025-02-04T10:00:00-06:00")
    assert only(outcomes_of("MX-HOLIDAY", b.view(release))).status == CLEAR
    OfficialHoliday.objects.create(date=datetime.date(2025, 3, 5), name="Jornada electoral")
    outcome = only(outcomes_of("MX-HOLIDAY", b.view(release)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["holidays"][0]["reason"] == "Jornada electoral"
    signed_on_holiday = b.compiled(
        tender_start="2025-02-04T10:00:00-06:00", signed="2025-09-16T09:00:00-06:00"
    )
    OfficialHoliday.objects.create(
        date=datetime.date(2025, 9, 16), name="Hábil por acuerdo", non_working=False
    )
    OfficialHoliday.objects.create(date=datetime.date(2025, 3, 5), name="x", non_working=False)
    assert only(outcomes_of("MX-HOLIDAY", b.view(signed_on_holiday))).status == CLEAR


def test_official_holidays_are_worked_out_once_and_read_only():
    """The days are worked out once per year (MX-HOLIDAY asks for every date of every
    process), so a caller cannot change what the next caller reads."""
    days = official_holidays(2025, ("2025-06-01",))
    assert days[datetime.date(2025, 6, 1)] == "día inhábil de la instalación"
    with pytest.raises(TypeError):
        days[datetime.date(2025, 6, 2)] = "otro"
    assert official_holidays(2025, ("2025-06-01",)) is days
    assert len(days) == 8
