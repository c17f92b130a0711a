"""The risk index on a small hand-computed dataset (tests/indicadores/risk/dataset.py)."""

import pytest

from indicadores.risk import services
from indicadores.risk.models import ALL, ALL_YEARS, ProcessRisk, RiskCut, RiskScore
from indicadores.risk.score import Score
from indicadores.risk.tally import summed
from tests.factories import make_entity, make_unit
from tests.indicadores.risk import dataset as d

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity():
    return make_entity(key="SALUD")


@pytest.fixture
def units(entity):
    return make_unit(entity, key="U1"), make_unit(entity, key="U2")


@pytest.fixture
def planted(entity, units):
    d.plant(entity, *units)


def entity_score(entity, year=2025) -> RiskScore:
    return RiskScore.objects.get(entity=entity, unit=None, year=year)


def measure(score, key):
    return next(m for c in score.components for m in c.measures if m.measure.key == key)


def test_entity_index_and_components(entity, planted):
    """Competition: direct 2/4 = .5; direct amount 400k/1M = .4; single bid 1/2 = .5; few
    bidders 2 processes/4 bidders = .5 → 47.5. Transparency: documents 2/3, late publication not
    computable (left out), missing data 2/16 → (.6667 + .125)/2 = 39.6. Legality: ADMAX 1/2,
    FRAC 0/1, short period 1/2, amendments not computable → 33.3. Integrity: sanctioned 1/4,
    EFOS not computable → 25.0. Index: mean of the unrounded components = 36.4."""
    row = entity_score(entity)
    assert row.processes == 4
    assert (row.competition, row.transparency, row.legality, row.integrity) == (
        47.5,
        39.6,
        33.3,
        25.0,
    )
    assert row.index == 36.4
    score = Score.of(row.tally)
    assert measure(score, "few_bidders").average_bidders == 2.0
    assert measure(score, "direct_amount").numerator == 400000
    assert measure(score, "direct_amount").denominator == 1000000


def test_unit_index(units, planted):
    """U1 = P1 + P2. Competition: .5, 300k/700k, 0/1, 1/3 → 31.5; transparency: documents 1/2,
    missing 2/10 → 35.0; legality: 1/1, 0/1, 0/1 → 33.3; integrity 1/2 → 50.0; index 37.5.
    Quality: every check passes but S2 (1 of 2) → (100 × 4 + 50)/5 = 90.0."""
    row = RiskScore.objects.get(unit=units[0], year=2025)
    assert row.processes == 2
    assert (row.competition, row.transparency, row.legality, row.integrity) == (
        31.5,
        35.0,
        33.3,
        50.0,
    )
    assert row.index == 37.5
    assert row.quality == 90.0


def test_eligible_denominators(entity, planted):
    """Each measure keeps how many processes it could judge; a measure nobody was eligible for
    is not computable and stays out of its component."""
    score = Score.of(entity_score(entity).tally)
    eligible = {m.measure.key: m.eligible for c in score.components for m in c.measures}
    assert eligible == {
        "direct_count": 4,
        "direct_amount": 4,
        "single_bid": 2,
        "few_bidders": 2,
        "documents": 3,
        "late_publication": 0,
        "missing_data": 4,
        "admax": 2,
        "splitting": 1,
        "short_period": 2,
        "amendments": 0,
        "sanctioned": 4,
        "efos": 0,
        "conflict": 0,
        "sanctioned_servant": 0,
        "new_company": 0,
    }
    assert measure(score, "late_publication").value is None
    assert len(score.component("transparency").computable) == 2
    rows = {row.code: row for row in score.indicator_rows()}
    assert (rows["MX-DOCS"].eligible, rows["MX-DOCS"].flagged) == (3, 2)
    assert (rows["MX-EFOS"].eligible, rows["MX-EFOS"].not_computable) == (0, 1)
    assert rows["MX-DOCS"].review_thresholds  # 2 of 3 flagged: more than 25 %
    assert score.pairs() == [
        ("MX-ADMAX", "MX-SANC", 1),
        ("MX-DOCS", "R003", 1),
        ("MX-DOCS", "R018", 1),
        ("R003", "R018", 1),
    ]


def test_quality_checks(entity, planted):
    """Timeline: P3 awarded before its tender closed → 3/4. Contract within 50–150 % of the
    award: P3's 500k on 200k fails → 3/4. Payments within the contract: only P2 pays → 1/1.
    Budget within 50–150 % of the tender: P1 450k/400k passes, P3 1M/200k fails → 1/2. S2: only
    P1 has a servant on file → 1/4. Quality (75 + 75 + 100 + 50 + 25)/5 = 65.0, beside the
    index and not in it."""
    row = entity_score(entity)
    checks = {c.check.key: (c.passed, c.applicable) for c in Score.of(row.tally).checks}
    assert checks == {
        "timeline": (3, 4),
        "contract_award": (3, 4),
        "payments_contract": (1, 1),
        "budget_tender": (1, 2),
        "s2_servants": (1, 4),
    }
    assert row.quality == 65.0
    assert row.index == 36.4  # unchanged by the quality score


def test_without_s2_the_check_is_not_applicable(entity, units):
    data, outcomes = d.p4(entity)
    d.send(data, entity, units[1], outcomes)
    checks = {c.check.key: c.applicable for c in Score.of(entity_score(entity).tally).checks}
    assert checks["s2_servants"] == 0


def test_an_entity_that_publishes_little_does_not_look_clean(entity):
    """Only «not computable» outcomes: every indicator measure is out, what remains is the share
    of missing data (100 %), so the index is 100, not 0."""
    data = d.release(entity, 9, amount=100000)
    outcomes = [d.outcome("MX-DOCS", d.UNKNOWN), d.outcome("MX-SANC", d.UNKNOWN)]
    del data["tender"]["procurementMethod"]
    d.send(data, entity, None, outcomes)
    row = entity_score(entity)
    assert row.transparency == 100.0 and row.index == 100.0
    assert row.competition is None and row.integrity is None


def test_publication_moves_the_aggregates_by_the_difference(entity, units, planted):
    """P2 republished with MX-SANC cleared and moved to U2: the entity's sanctioned share drops
    to 0/4, U1 keeps only P1, U2 gains P2."""
    data, outcomes = d.p2(entity)
    outcomes = [o for o in outcomes if o.code != "MX-SANC"] + [d.outcome("MX-SANC", d.CLEAR)]
    d.send(data, entity, units[1], outcomes)
    assert entity_score(entity).integrity == 0.0
    assert entity_score(entity).processes == 4
    assert RiskScore.objects.get(unit=units[0]).processes == 1
    assert RiskScore.objects.get(unit=units[1]).processes == 3
    incremental = {(r.unit_id, r.year): r.tally for r in RiskScore.objects.all()}
    incremental_cuts = cuts()
    services.rebuild()
    rebuilt = {(r.unit_id, r.year): r.tally for r in RiskScore.objects.all()}
    assert incremental == rebuilt
    assert incremental_cuts == cuts()


def cuts() -> dict:
    return {
        (r.entity_id, r.unit_id, r.year, r.procurement_method, r.category): r.tally
        for r in RiskCut.objects.all()
    }


def test_cuts_are_the_sums_of_their_processes(entity, units, planted):
    """Each cut (every entity, the entity or a unit × a year or all × a procedure type or all ×
    a category or all) sums exactly its processes, and its columns are the index of that sum."""
    rows = list(RiskCut.objects.all())
    # (every entity, SALUD, U1, U2) × (2025, all) × (open, direct, all) × (none given, all)
    assert len(rows) == 4 * 2 * 3 * 2
    for row in rows:
        processes = ProcessRisk.objects.all()
        for field, value, every in (
            ("entity_id", row.entity_id, None),
            ("unit_id", row.unit_id, None),
            ("year", row.year, ALL_YEARS),
            ("procurement_method", row.procurement_method, ALL),
            ("category", row.category, ALL),
        ):
            if value != every:
                processes = processes.filter(**{field: value})
        assert row.tally == summed(processes.values_list("tally", flat=True)), row
        score = Score.of(row.tally)
        assert (row.processes, row.index, row.quality) == (
            score.processes,
            score.index,
            score.quality,
        )
    everything = RiskCut.objects.get(
        entity=None, year=ALL_YEARS, procurement_method=ALL, category=ALL
    )
    assert everything.processes == 4 and everything.index == entity_score(entity).index
    direct = RiskCut.objects.get(
        entity=entity, unit=None, year=2025, procurement_method="direct", category=ALL
    )
    assert direct.processes == 2
