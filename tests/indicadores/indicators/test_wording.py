"""Indicator explanations read well in Spanish: no «las 1 propuestas»."""

from tests.indicadores import builders as b

WINNER = f"MX-RFC-{b.SUPPLIER_RFC}"


def test_r035_one_disqualified_bid_reads_in_singular(outcomes_of):
    bids = [b.bid(WINNER, 120), b.bid("MX-RFC-B", 100, status="disqualified")]
    view = b.view(b.compiled(bids=bids))
    (outcome,) = [o for o in outcomes_of("R035", view) if o.status == "flagged"]
    assert outcome.explanation == "Se descalificó la única propuesta distinta de la ganadora."
    assert "las 1 propuestas" not in outcome.explanation
