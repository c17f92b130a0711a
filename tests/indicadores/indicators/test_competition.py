"""Competition and procedure indicators: positive, negative and not-computable cases for each."""

import json

import pytest

from indicadores.outcomes import OutcomeStatus, Severity
from ocds_pages.publication import publish_releases
from tests.indicadores import builders as b
from tests.ocds_pages.factories import (
    make_award_release,
    make_entity,
    make_tender_release,
    make_unit,
    own_ocid,
)

FLAGGED, CLEAR, UNKNOWN = (
    OutcomeStatus.FLAGGED,
    OutcomeStatus.NOT_FLAGGED,
    OutcomeStatus.NOT_COMPUTABLE,
)
WINNER = f"MX-RFC-{b.SUPPLIER_RFC}"
MAXIMA = {2025: {"goods": {"direct": 300000, "selective": 2000000}}}


def only(outcomes):
    assert len(outcomes) == 1, outcomes
    json.dumps(outcomes[0].evidence)
    return outcomes[0]


def lp(**tender):
    return {"procurementMethod": "open", **tender}


# --- R003 ---------------------------------------------------------------------------------------


def test_r003_short_period_by_procedure_type(outcomes_of):
    release = b.compiled(
        tender={"procurementMethodDetails": "Licitación pública internacional abierta"},
        tender_start="2025-02-03T10:00:00-06:00",
        tender_end="2025-02-19T10:00:00-06:00",
    )
    outcome = only(outcomes_of("R003", b.view(release)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["days"] == 16 and outcome.evidence["minimum_days"] == 20
    assert outcome.evidence["procedure_type"] == "lp_internacional"


def test_r003_enough_days_for_a_national_tender(outcomes_of):
    release = b.compiled(tender_end="2025-02-19T10:00:00-06:00")  # 16 days, national: 15
    assert only(outcomes_of("R003", b.view(release))).status == CLEAR


def test_r003_not_computable_without_dates_and_not_for_direct_awards(outcomes_of):
    outcome = only(outcomes_of("R003", b.view(b.compiled(tender_start=None))))
    assert outcome.status == UNKNOWN
    assert outcome.missing == ("tender/tenderPeriod/startDate",)
    direct = b.compiled(
        tender={"procurementMethod": "direct", "procurementMethodDetails": "Adjudicación directa"}
    )
    assert outcomes_of("R003", b.view(direct)) == []


# --- R018 ---------------------------------------------------------------------------------------


def test_r018_single_bid(outcomes_of):
    release = b.compiled(tender={"numberOfTenderers": 1})
    outcome = only(outcomes_of("R018", b.view(release)))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.MEDIUM)


def test_r018_several_bids_counted_from_bids(outcomes_of):
    release = b.compiled(bids=[b.bid(WINNER, 100), b.bid("MX-RFC-OTRO", 120)])
    outcome = only(outcomes_of("R018", b.view(release)))
    assert outcome.status == CLEAR
    assert outcome.evidence == {
        "thresholds": {"tenderers": 1},
        "tenderers": 2,
        "counted_from": "bids/details",
        "procurement_method": "open",
    }


def test_r018_not_computable_without_a_count(outcomes_of):
    outcome = only(outcomes_of("R018", b.view(b.compiled())))
    assert outcome.status == UNKNOWN


# --- MX-NOTLOW ----------------------------------------------------------------------------------


def test_notlow_price_only_award_to_a_higher_bid(outcomes_of):
    bids = [b.bid(WINNER, 120000), b.bid("MX-RFC-BARATO", 100000)]
    release = b.compiled(tender={"awardCriteria": "priceOnly"}, bids=bids)
    outcome = only(outcomes_of("MX-NOTLOW", b.view(release)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["winning_amount"] == 120000.0
    assert outcome.evidence["lowest_valid_amount"] == 100000.0


def test_notlow_lowest_wins_or_lower_bid_was_disqualified(outcomes_of):
    bids = [b.bid(WINNER, 120000), b.bid("MX-RFC-BARATO", 100000, status="disqualified")]
    release = b.compiled(tender={"awardCriteria": "priceOnly"}, bids=bids)
    assert only(outcomes_of("MX-NOTLOW", b.view(release))).status == CLEAR
    rated = b.compiled(tender={"awardCriteria": "ratedCriteria"}, bids=bids)
    assert outcomes_of("MX-NOTLOW", b.view(rated)) == []  # points and percentages: not eligible


def test_notlow_not_computable_without_criteria_or_bids(outcomes_of):
    release = b.compiled(bids=[b.bid(WINNER, 1)])
    assert only(outcomes_of("MX-NOTLOW", b.view(release))).missing == ("tender/awardCriteria",)
    no_bids = b.compiled(tender={"awardCriteria": "priceOnly"})
    assert only(outcomes_of("MX-NOTLOW", b.view(no_bids))).missing == ("bids/details",)


# --- R028 ---------------------------------------------------------------------------------------


def test_r028_identical_prices(outcomes_of):
    bids = [b.bid(WINNER, 99000), b.bid("MX-RFC-B", 99000), b.bid("MX-RFC-C", 101000)]
    outcome = only(outcomes_of("R028", b.view(b.compiled(bids=bids))))
    assert outcome.status == FLAGGED
    assert outcome.evidence["identical"] == [
        {"amount": 99000.0, "currency": "MXN", "tenderers": ["MX-RFC-B", WINNER]}
    ]


def test_r028_different_prices(outcomes_of):
    bids = [b.bid(WINNER, 99000), b.bid("MX-RFC-B", 99001)]
    assert only(outcomes_of("R028", b.view(b.compiled(bids=bids)))).status == CLEAR


def test_r028_not_computable_with_one_priced_bid(outcomes_of):
    bids = [b.bid(WINNER, 99000), b.bid("MX-RFC-B", None)]
    outcome = only(outcomes_of("R028", b.view(b.compiled(bids=bids))))
    assert outcome.status == UNKNOWN and outcome.missing == ("bids/details/value",)


# --- R035 / R036 --------------------------------------------------------------------------------


def test_r035_all_but_the_winner_disqualified(outcomes_of):
    bids = [
        b.bid(WINNER, 120),
        b.bid("MX-RFC-B", 100, status="disqualified"),
        b.bid("MX-RFC-C", 110, status="disqualified"),
    ]
    outcome = only(outcomes_of("R035", b.view(b.compiled(bids=bids))))
    assert outcome.status == FLAGGED and outcome.evidence["disqualified"] == 2
    # The lowest of them was disqualified too (R036).
    assert only(outcomes_of("R036", b.view(b.compiled(bids=bids)))).status == FLAGGED


def test_r035_r036_another_valid_bid(outcomes_of):
    bids = [b.bid(WINNER, 100), b.bid("MX-RFC-B", 110), b.bid("MX-RFC-C", 90, "disqualified")]
    assert only(outcomes_of("R035", b.view(b.compiled(bids=bids)))).status == CLEAR
    assert only(outcomes_of("R036", b.view(b.compiled(bids=bids)))).status == FLAGGED
    fair = [b.bid(WINNER, 100), b.bid("MX-RFC-B", 110, "disqualified")]
    assert only(outcomes_of("R036", b.view(b.compiled(bids=fair)))).status == CLEAR


def test_r035_r036_not_computable_without_statuses(outcomes_of):
    bids = [b.bid(WINNER, 100, status=""), b.bid("MX-RFC-B", 110)]
    for code in ("R035", "R036"):
        outcome = only(outcomes_of(code, b.view(b.compiled(bids=bids))))
        assert outcome.missing == ("bids/details/status",)


# --- R031 ---------------------------------------------------------------------------------------


def test_r031_award_within_one_percent_of_the_estimate(outcomes_of):
    release = b.compiled(
        tender={"value": {"amount": 500000, "currency": "MXN"}}, award_amount=498000
    )
    outcome = only(outcomes_of("R031", b.view(release)))
    assert outcome.status == FLAGGED and outcome.evidence["gap"] == 0.004


def test_r031_far_from_the_estimate_and_without_one(outcomes_of):
    release = b.compiled(tender={"value": {"amount": 600000, "currency": "MXN"}})
    assert only(outcomes_of("R031", b.view(release))).status == CLEAR
    assert only(outcomes_of("R031", b.view(b.compiled()))).status == UNKNOWN


# --- MX-ADMAX -----------------------------------------------------------------------------------


def direct(**tender):
    return {
        "procurementMethod": "direct",
        "procurementMethodDetails": "Adjudicación directa",
        "mainProcurementCategory": "goods",
        **tender,
    }


def test_admax_direct_award_above_the_maximum(outcomes_of, settings):
    settings.INDICADORES_MONTOS_MAXIMOS = MAXIMA
    release = b.compiled(tender=direct(), award_amount=350000)
    outcome = only(outcomes_of("MX-ADMAX", b.view(release)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["legal_maximum"] == 300000.0 and outcome.evidence["year"] == 2025


def test_admax_below_the_maximum_and_invitations(outcomes_of, settings):
    settings.INDICADORES_MONTOS_MAXIMOS = MAXIMA
    release = b.compiled(tender=direct(), award_amount=250000)
    assert only(outcomes_of("MX-ADMAX", b.view(release))).status == CLEAR
    invitation = b.compiled(tender=direct(procurementMethod="selective"), award_amount=2500000)
    assert only(outcomes_of("MX-ADMAX", b.view(invitation))).status == FLAGGED


def test_admax_not_computable_without_the_year_in_the_table(outcomes_of):
    release = b.compiled(tender=direct(), award_amount=350000)
    outcome = only(outcomes_of("MX-ADMAX", b.view(release)))
    assert outcome.status == UNKNOWN
    assert "2025" in outcome.missing[0] and "INDICADORES_MONTOS_MAXIMOS" in outcome.missing[0]


# --- set-level: published peers -----------------------------------------------------------------

OTHER = {"name": "Otra Proveedora, S.A. de C.V.", "rfc": "OPR100101AA1"}


@pytest.fixture
def unit(db):
    entity = make_entity()
    return make_unit(entity=entity)


_serials = iter(range(1, 10_000))


def publish_award(unit, *, date, amount, method="direct", supplier=None):
    """A published process of ``unit`` awarded on ``date`` (YYYY-MM-DD) to ``supplier``."""
    supplier = supplier or {"name": b.SUPPLIER_NAME, "rfc": b.SUPPLIER_RFC}
    ocid = own_ocid(unit.entity, next(_serials))
    moment = f"{date}T10:00:00-06:00"
    details = "Adjudicación directa" if method == "direct" else "Licitación pública nacional"
    tender = make_tender_release(
        ocid=ocid,
        entity=unit.entity,
        date=moment,
        tender={
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "tenderPeriod": {"startDate": moment, "endDate": moment},
        },
    )
    party = b.party(name=supplier["name"], rfc=supplier["rfc"])
    award = make_award_release(
        ocid=ocid,
        entity=unit.entity,
        date=moment,
        award={
            "date": moment,
            "value": {"amount": amount, "currency": "MXN"},
            "suppliers": [{"id": party["id"], "name": party["name"]}],
        },
    )
    award["parties"] = [p for p in award["parties"] if "supplier" not in p["roles"]] + [party]
    publish_releases(releases=[tender, award], entity=unit.entity, unit=unit)
    return ocid


def candidate_view(unit, *, date, amount, supplier=None):
    supplier = supplier or {"name": b.SUPPLIER_NAME, "rfc": b.SUPPLIER_RFC}
    release = b.compiled(
        tender=direct(),
        suppliers=[b.party(name=supplier["name"], rfc=supplier["rfc"])],
        award_date=f"{date}T12:00:00-06:00",
        award_amount=amount,
        signed=None,
    )
    return b.view(release, stage="award", entity_id=unit.entity_id, unit_id=unit.pk)


def test_frac_two_direct_awards_in_a_week_above_the_maximum(outcomes_of, unit, settings):
    settings.INDICADORES_MONTOS_MAXIMOS = MAXIMA
    first = publish_award(unit, date="2025-03-04", amount=200000)
    publish_award(unit, date="2025-03-05", amount=200000, supplier=OTHER)  # another supplier
    other_unit = make_unit(entity=unit.entity, key="OTRA-UC")
    publish_award(other_unit, date="2025-03-05", amount=200000)  # another unit
    outcome = only(outcomes_of("MX-FRAC", candidate_view(unit, date="2025-03-06", amount=150000)))
    assert (outcome.status, outcome.subject) == (FLAGGED, WINNER)
    assert outcome.evidence["week"] == ["2025-03-03", "2025-03-09"]
    assert [a["ocid"] for a in outcome.evidence["direct_awards"]][0] == first
    assert outcome.evidence["total"] == 350000.0


def test_frac_awards_in_different_weeks_or_below_the_maximum(outcomes_of, unit, settings):
    settings.INDICADORES_MONTOS_MAXIMOS = MAXIMA
    publish_award(unit, date="2025-02-28", amount=200000)  # the week before
    view = candidate_view(unit, date="2025-03-03", amount=150000)
    outcome = only(outcomes_of("MX-FRAC", view))
    assert outcome.status == CLEAR and len(outcome.evidence["direct_awards"]) == 1
    publish_award(unit, date="2025-03-04", amount=100000)
    assert only(outcomes_of("MX-FRAC", view)).status == CLEAR  # 250,000 ≤ 300,000


def test_frac_not_computable_without_the_maximum(outcomes_of, unit):
    outcome = only(outcomes_of("MX-FRAC", candidate_view(unit, date="2025-03-06", amount=1)))
    assert outcome.status == UNKNOWN and "2025" in outcome.missing[0]


def test_adrep_three_direct_awards_in_a_year(outcomes_of, unit):
    publish_award(unit, date="2024-06-10", amount=10000)
    publish_award(unit, date="2025-01-10", amount=10000)
    publish_award(unit, date="2025-01-11", amount=10000, method="open")  # not direct
    outcome = only(outcomes_of("MX-ADREP", candidate_view(unit, date="2025-03-06", amount=1)))
    assert outcome.status == FLAGGED
    assert len(outcome.evidence["direct_awards"]) == 3


def test_adrep_older_awards_do_not_count(outcomes_of, unit):
    publish_award(unit, date="2023-06-10", amount=10000)
    publish_award(unit, date="2025-01-10", amount=10000)
    outcome = only(outcomes_of("MX-ADREP", candidate_view(unit, date="2025-03-06", amount=1)))
    assert outcome.status == CLEAR and len(outcome.evidence["direct_awards"]) == 2


def test_adrep_not_computable_without_a_date(outcomes_of, unit):
    view = candidate_view(unit, date="2025-03-06", amount=1)
    view.release["awards"][0].pop("date")
    assert only(outcomes_of("MX-ADREP", view)).missing == ("awards/date",)


def test_conc_supplier_share_of_the_units_year(outcomes_of, unit, settings):
    settings.INDICADORES_UMBRALES = {"MX-CONC": {"min_awards": 3}}
    publish_award(unit, date="2025-01-10", amount=300000)
    publish_award(unit, date="2025-02-10", amount=100000, supplier=OTHER)
    publish_award(unit, date="2024-02-10", amount=900000, supplier=OTHER)  # another year
    outcome = only(outcomes_of("MX-CONC", candidate_view(unit, date="2025-03-06", amount=300000)))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.HIGH)
    assert outcome.evidence["unit_awards"] == 3 and outcome.evidence["supplier_awards"] == 2
    assert outcome.evidence["share"] == pytest.approx(600000 / 700000, abs=1e-6)


def test_conc_small_share_and_small_units(outcomes_of, unit, settings):
    settings.INDICADORES_UMBRALES = {"MX-CONC": {"min_awards": 3}}
    publish_award(unit, date="2025-01-10", amount=300000, supplier=OTHER)
    third = {"name": "Tercera", "rfc": "TER100101AA1"}
    view = candidate_view(unit, date="2025-03-06", amount=50000, supplier=third)
    assert outcomes_of("MX-CONC", view) == []  # two awards in the year: not eligible
    publish_award(unit, date="2025-02-10", amount=300000, supplier=OTHER)
    assert only(outcomes_of("MX-CONC", view)).status == CLEAR


def test_conc_not_computable_without_an_amount(outcomes_of, unit):
    view = candidate_view(unit, date="2025-03-06", amount=None)
    view.release["awards"][0].pop("value")
    assert only(outcomes_of("MX-CONC", view)).status == UNKNOWN


# --- legal maxima as data -----------------------------------------------------------------------


def test_admax_reads_the_newest_legal_maximum_row(outcomes_of, settings):
    from indicadores.engine.stats_model import LegalMaximum

    settings.INDICADORES_MONTOS_MAXIMOS = MAXIMA  # 300,000: rows in the table come first
    row = {"year": 2025, "category": "goods", "method": "direct"}
    LegalMaximum.objects.create(**row, amount=400000, source="PEF 2025 (captura errónea)")
    LegalMaximum.objects.create(**row, amount=360000, source="PEF 2025, rango 2")
    release = b.compiled(tender=direct(), award_amount=350000)
    outcome = only(outcomes_of("MX-ADMAX", b.view(release)))
    assert outcome.status == CLEAR
    assert outcome.evidence["legal_maximum"] == 360000.0
    assert outcome.evidence["legal_maximum_source"] == "PEF 2025, rango 2"


def test_legal_maxima_admin_adds_rows_and_never_edits_them(client, db):
    from django.contrib.auth import get_user_model

    from indicadores.engine.stats_model import LegalMaximum
    from tests.factories import make_user

    url = "/admin/indicadores/legalmaximum/"
    client.force_login(make_user(is_staff=True))
    assert client.get(url).status_code in {302, 403}  # staff who is not the national admin
    admin = get_user_model().objects.create_superuser("nacional", password="x-Segura-2026")
    client.force_login(admin)
    assert client.get(url).status_code == 200
    response = client.post(
        f"{url}create/",
        {
            "year": 2025,
            "category": "works",
            "method": "selective",
            "amount": "4000000.00",
            "source": "PEF 2025",
        },
    )
    assert response.status_code == 302
    row = LegalMaximum.objects.get()
    assert client.get(f"{url}edit/{row.pk}/").status_code in {302, 403}


def test_the_set_based_run_agrees_with_one_record_at_a_time(unit, settings):
    """calcular_indicadores reads each unit's peers once per run (RunPeers); a record evaluated
    alone reads them around itself (PeerData): both must say the same."""
    from indicadores.engine.core import indicator
    from indicadores.engine.runner import evaluate_record, run
    from indicadores.signals import outcomes_computed
    from ocds_pages.models import Record

    settings.INDICADORES_MONTOS_MAXIMOS = MAXIMA
    settings.INDICADORES_UMBRALES = {"MX-CONC": {"min_awards": 3}}
    other_unit = make_unit(entity=unit.entity, key="OTRA-UC")
    for date, amount, supplier, where in (
        ("2025-03-04", 200000, None, unit),
        ("2025-03-06", 150000, None, unit),
        ("2025-01-10", 90000, None, unit),
        ("2025-02-10", 100000, OTHER, unit),
        ("2025-03-05", 250000, None, other_unit),
        ("2024-03-05", 50000, OTHER, other_unit),
    ):
        publish_award(where, date=date, amount=amount, supplier=supplier)
    codes = ("MX-FRAC", "MX-ADREP", "MX-CONC")
    received = {}

    def listener(sender, ocid, outcomes, **kwargs):
        received[ocid] = outcomes

    outcomes_computed.connect(listener, dispatch_uid="test-run-agrees")
    try:
        run(selected=[indicator(code) for code in codes], batch=2)
    finally:
        outcomes_computed.disconnect(dispatch_uid="test-run-agrees")
    flagged = 0
    for record in Record.objects.all():
        alone = [o for o in evaluate_record(record) if o.code in codes]
        assert received[record.ocid] == alone, record.ocid
        flagged += sum(o.flagged for o in alone)
    assert flagged >= 3  # the week's split purchase (twice) and the concentration
