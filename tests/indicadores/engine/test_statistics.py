"""Indicators relative to the dataset: R024, R058 (bid gap fences) and R038 (disqualifications)."""

import json

import pytest
from django.core.management import call_command

from indicadores.engine.statistics import ALL, BID_GAP, Collector, StoredStatistics, fences
from indicadores.engine.stats_model import IndicatorStatistic
from indicadores.outcomes import OutcomeStatus
from ocds_pages.publication import publish_releases
from tests.indicadores import builders as b
from tests.ocds_pages.factories import (
    make_award_release,
    make_entity,
    make_tender_release,
    own_ocid,
)

FLAGGED, CLEAR, UNKNOWN = (
    OutcomeStatus.FLAGGED,
    OutcomeStatus.NOT_FLAGGED,
    OutcomeStatus.NOT_COMPUTABLE,
)
WINNER = f"MX-RFC-{b.SUPPLIER_RFC}"
ITEMS = [{"id": "1", "classification": {"scheme": "CUCOP", "id": "25300002"}}]


def only(outcomes):
    assert len(outcomes) == 1, outcomes
    json.dumps(outcomes[0].evidence)
    return outcomes[0]


def gap_view(gap, *, unit_id=None, statuses=("valid", "valid")):
    """A process whose second-lowest valid bid is ``gap`` above the winning one (100,000)."""
    bids = [
        b.bid(WINNER, 100000, status=statuses[0]),
        b.bid("MX-RFC-OTRO", round(100000 * (1 + gap), 2), status=statuses[1]),
    ]
    release = b.compiled(tender={"items": ITEMS}, bids=bids)
    return b.view(release, entity_id=1, unit_id=unit_id)


@pytest.fixture
def gap_statistics(db):
    collector = Collector()
    for gap in (0.10, 0.10, 0.12, 0.11, 0.10, 0.09, 0.10, 0.11):
        collector.add(gap_view(gap))
    collector.store(min_bids=2)


def test_fences_are_tukeys():
    assert fences([1, 2, 3, 4, 5]) == {
        "q1": 2.0,
        "median": 3.0,
        "q3": 4.0,
        "iqr": 2.0,
        "lower_fence": -1.0,
        "upper_fence": 7.0,
    }
    assert fences([1, 2, 3]) is None  # too few to speak of quartiles


def test_statistics_are_stored_per_family_and_overall(gap_statistics):
    stored = {row.key: row for row in IndicatorStatistic.objects.filter(measure=BID_GAP)}
    assert set(stored) == {ALL, "cucop:253"}
    assert stored[ALL].sample == 8
    assert stored[ALL].values["q1"] == pytest.approx(0.1)
    assert stored[ALL].values["upper_fence"] == pytest.approx(0.125, abs=1e-6)


def test_r024_second_bid_too_close(outcomes_of, gap_statistics):
    outcome = only(outcomes_of("R024", gap_view(0.001)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["group"] == ALL  # the family has fewer than 20 processes
    assert outcome.evidence["statistics"]["sample"] == 8


def test_r058_winner_far_below_the_next(outcomes_of, gap_statistics):
    outcome = only(outcomes_of("R058", gap_view(0.5)))
    assert outcome.status == FLAGGED and outcome.evidence["gap"] == 0.5


def test_r024_r058_ordinary_gap_and_family_fences(outcomes_of, gap_statistics, settings):
    settings.INDICADORES_UMBRALES = {"R024": {"min_family_sample": 5}}
    outcome = only(outcomes_of("R024", gap_view(0.1)))
    assert outcome.status == CLEAR and outcome.evidence["group"] == "cucop:253"
    assert only(outcomes_of("R058", gap_view(0.1))).status == CLEAR


def test_r024_not_computable_before_statistics_or_without_a_second_valid_bid(outcomes_of):
    outcome = only(outcomes_of("R024", gap_view(0.1)))
    assert outcome.status == UNKNOWN and "calcular_indicadores" in outcome.missing[0]
    lone = gap_view(0.1, statuses=("valid", "disqualified"))
    assert only(outcomes_of("R058", lone)).status == UNKNOWN


@pytest.fixture
def unit_statistics(db):
    collector = Collector()
    # Units 1-3 never disqualify; unit 4 disqualifies 1 of 4 bids, unit 5 3 of 4.
    for unit in (1, 2, 3):
        for _ in range(2):
            collector.add(gap_view(0.1, unit_id=unit))
    collector.add(gap_view(0.1, unit_id=4))
    collector.add(gap_view(0.1, unit_id=4, statuses=("valid", "disqualified")))
    collector.add(gap_view(0.1, unit_id=5, statuses=("valid", "disqualified")))
    collector.add(gap_view(0.1, unit_id=5, statuses=("disqualified", "disqualified")))
    collector.store(min_bids=2)


def test_r038_unit_with_excessive_disqualifications(outcomes_of, unit_statistics):
    outcome = only(outcomes_of("R038", gap_view(0.1, unit_id=5)))
    assert outcome.status == FLAGGED
    assert outcome.evidence["unit"]["ratio"] == 0.75
    assert outcome.evidence["statistics"]["upper_fence"] == pytest.approx(0.625)


def test_r038_ordinary_units(outcomes_of, unit_statistics):
    assert only(outcomes_of("R038", gap_view(0.1, unit_id=4))).status == CLEAR
    assert only(outcomes_of("R038", gap_view(0.1, unit_id=1))).status == CLEAR


def test_r038_not_computable_for_a_unit_without_statistics(outcomes_of, unit_statistics):
    outcome = only(outcomes_of("R038", gap_view(0.1, unit_id=99)))
    assert outcome.status == UNKNOWN


def test_calcular_indicadores_refreshes_the_statistics_first(db, capsys):
    entity = make_entity()
    ocid = own_ocid(entity, 1)
    award = make_award_release(ocid=ocid, entity=entity)
    award["bids"] = {
        "details": [
            b.bid("MX-RFC-MME920427EM3", 222000),
            b.bid("MX-RFC-OTRO", 250000, status="disqualified"),
        ]
    }
    award["parties"].append({"id": "MX-RFC-OTRO", "name": "Otro", "roles": ["tenderer"]})
    publish_releases(releases=[make_tender_release(ocid=ocid, entity=entity), award], entity=entity)
    call_command(
        "calcular_indicadores", "--indicador", "R038", "--sin-alertas", "--sin-progreso", "--json"
    )
    payload = json.loads(capsys.readouterr().out)
    row = IndicatorStatistic.objects.get(measure="unit_disqualified", key=f"entity:{entity.pk}")
    assert row.values == {"submitted": 2, "disqualified": 1, "ratio": 0.5}
    # One unit is too few for fences: the indicator says so instead of guessing.
    assert payload["indicators"][0]["not_computable"] == 1


# --- R038-LIC bidder with excessive disqualifications ----------------------------------------

COVER = "CBI010101CB1"  # a bidder disqualified again and again
HONEST = ["HAA010101HA1", "HBB010101HB2", "HCC010101HC3", "HDD010101HD4"]


def bidders_view(bidders: dict[str, str], **sections):
    """A procedure won by the usual supplier, with ``bidders`` (RFC → bid status) competing."""
    bids = [b.bid(WINNER, 100000)]
    for n, (rfc, status) in enumerate(bidders.items()):
        bids.append(b.bid(f"MX-RFC-{rfc}", 110000 + n, status=status))
    parties = [(f"Licitante {rfc}", rfc) for rfc in bidders]
    return b.view(b.compiled(bids=bids, bidders=parties, **sections), entity_id=1)


@pytest.fixture
def bidder_statistics(db):
    collector = Collector()
    # Four bidders with one disqualification in four bids; the cover bidder, four in four.
    for round_ in range(4):
        statuses = {rfc: "disqualified" if n == round_ else "valid" for n, rfc in enumerate(HONEST)}
        collector.add(bidders_view({**statuses, COVER: "disqualified"}))
    collector.store(min_bids=2)


def test_r038_lic_bidder_disqualified_again_and_again(outcomes_of, bidder_statistics):
    outcomes = outcomes_of("R038-LIC", bidders_view({COVER: "disqualified", HONEST[0]: "valid"}))
    by_subject = {outcome.subject: outcome for outcome in outcomes}
    cover = by_subject[f"MX-RFC-{COVER}"]
    assert cover.status == FLAGGED
    assert cover.evidence["bidder"]["submitted"] == 4
    assert cover.evidence["bidder"]["disqualified"] == 4
    assert "4 de sus 4 propuestas" in cover.explanation
    assert by_subject[f"MX-RFC-{HONEST[0]}"].status == CLEAR
    assert by_subject[WINNER].status == CLEAR  # won all four, never disqualified
    json.dumps(cover.evidence)


def test_r038_lic_ordinary_or_unknown_bidders(outcomes_of, bidder_statistics, settings):
    outcomes = outcomes_of("R038-LIC", bidders_view({HONEST[1]: "valid", "NEW010101NW1": "valid"}))
    # HONEST[1] is ordinary; the newcomer has no bids in the dataset yet, so it is not judged.
    assert {o.subject: o.status for o in outcomes} == {
        WINNER: CLEAR,
        f"MX-RFC-{HONEST[1]}": CLEAR,
    }
    settings.INDICADORES_UMBRALES = {"R038-LIC": {"min_disqualified": 5}}
    outcomes = outcomes_of("R038-LIC", bidders_view({COVER: "valid"}))
    assert {o.subject: o.status for o in outcomes}[f"MX-RFC-{COVER}"] == CLEAR


def test_r038_lic_not_computable_without_statistics_or_bid_statuses(outcomes_of):
    outcome = only(outcomes_of("R038-LIC", bidders_view({COVER: "disqualified"})))
    assert outcome.status == UNKNOWN and "calcular_indicadores" in outcome.missing[0]
    lacking = bidders_view({COVER: ""})
    assert only(outcomes_of("R038-LIC", lacking)).missing == ("bids/details/status",)


def test_r038_lic_is_not_about_direct_awards(outcomes_of, bidder_statistics):
    direct = bidders_view({COVER: "disqualified"}, tender={"procurementMethod": "direct"})
    assert outcomes_of("R038-LIC", direct) == []


# --- MX-ROTA ------------------------------------------------------------------------------------

RINGS = ["AAA010101AA1", "BBB010101BB1", "CCC010101CC1"]


def ring_view(winner: str, *, unit_id=1):
    """A competitive procedure of ``unit_id`` among the three ring members, won by ``winner``."""
    bids = [b.bid(f"MX-RFC-{rfc}", 100000 + n) for n, rfc in enumerate(RINGS)]
    release = b.compiled(suppliers=[b.party(name=winner, rfc=winner)], bids=bids)
    return b.view(release, entity_id=1, unit_id=unit_id)


def store_ring(winners):
    collector = Collector()
    for winner in winners:
        collector.add(ring_view(winner))
    collector.store(min_bids=2, min_processes=3)


def test_rota_same_bidders_taking_turns(outcomes_of):
    store_ring([RINGS[0], RINGS[1], RINGS[0]])
    outcome = only(outcomes_of("MX-ROTA", ring_view(RINGS[2])))
    assert outcome.status == FLAGGED
    assert outcome.evidence["processes"] == 3
    assert outcome.evidence["wins"] == {f"MX-RFC-{RINGS[0]}": 2, f"MX-RFC-{RINGS[1]}": 1}


def test_rota_one_winner_or_another_unit(outcomes_of):
    store_ring([RINGS[0]] * 3)
    assert only(outcomes_of("MX-ROTA", ring_view(RINGS[0]))).status == CLEAR
    assert only(outcomes_of("MX-ROTA", ring_view(RINGS[0], unit_id=2))).status == CLEAR


def test_rota_not_computable_before_statistics(outcomes_of):
    outcome = only(outcomes_of("MX-ROTA", ring_view(RINGS[0])))
    assert outcome.status == UNKNOWN and "calcular_indicadores" in outcome.missing[0]


def test_the_bid_gap_fences_are_read_once_per_run(gap_statistics, django_assert_num_queries):
    """A run stores the statistics before it evaluates: its batches share the fences (the
    run cache), a candidate or a single record reads them itself."""
    views = [gap_view(0.10)]
    with django_assert_num_queries(3):
        alone = StoredStatistics(views)
    cache = {}
    with django_assert_num_queries(3):
        first = StoredStatistics(views, cache)
    with django_assert_num_queries(2):
        second = StoredStatistics(views, cache)
    assert alone.gaps == first.gaps == second.gaps
    assert set(second.gaps) == {ALL, "cucop:253"}
