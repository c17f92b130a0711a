"""The candidate score: a weighted sum of experience and price position, computed by hand here
(docs/mercado.md, «Proveedores candidatos»)."""

from datetime import date
from decimal import Decimal

from indicadores.market.selectors import (
    SCORE_WEIGHTS,
    PriceRow,
    Reference,
    candidates,
    price_part,
)
from indicadores.market.statistics import summarise

A, B, C = "AAA010101AA1", "BBB010101BB2", "CCC010101CC3"


def basket(*rows) -> Reference:
    """A basket as ``price_reference`` builds it, from (ocid, supplier, price, quantity, buyer)."""
    built = [
        PriceRow(
            values={
                "row_key": f"{ocid}-1",
                "dataset__name": None,
                "ocid": ocid,
                "buyer_name": buyer,
                "supplier_id": f"MX-RFC-{rfc}",
                "supplier_rfc": rfc,
                "supplier_name": f"Proveedor {rfc[0]}",
                "supplier_key": rfc,
                "quantity": Decimal(quantity),
                "date": date(2025, 3, 5),
            },
            price=Decimal(price),
        )
        for ocid, rfc, price, quantity, buyer in rows
    ]
    summary = summarise(row.price for row in built)
    for item in built:
        item.outlier = summary.is_outlier(item.price)
    return Reference(rows=built, summary=summary)


# A sold three times to one buyer at 13; B twice, to two buyers, at 10 and 11 in lots of 100;
# C once at 40 (an outlier). Prices 10 11 13 13 13 40: Q1 = 11.5, Q3 = 13, fences 9.25 and
# 15.25, so the valid prices are 10 11 13 13 13 and the reference median is 13.
BASKET = [
    ("ocds-a-1", A, 13, 10, "IMSS"),
    ("ocds-a-2", A, 13, 10, "IMSS"),
    ("ocds-a-3", A, 13, 10, "IMSS"),
    ("ocds-b-1", B, 10, 100, "IMSS"),
    ("ocds-b-2", B, 11, 100, "SEP"),
    ("ocds-c-1", C, 40, 1, "SSA"),
]


def test_weights_add_up_to_one():
    assert sum(SCORE_WEIGHTS.values()) == 1


def test_price_part():
    assert price_part(Decimal("0.8")) == 1  # below the median: full
    assert price_part(Decimal("1")) == 1
    assert price_part(Decimal("1.3")) == Decimal("0.7")  # 30 % above: 0.3 less
    assert price_part(Decimal("2.5")) == 0
    assert price_part(None) == Decimal("0.5")  # no reference price: neutral for everyone


def test_hand_computed_scores_and_order():
    reference = basket(*BASKET)
    assert reference.reference_price() == Decimal("13.0000")
    found = {c.rfc: c for c in candidates(reference)}
    # Largest: 3 processes (A), 2 buyers (B), amount 10·100 + 11·100 = 2,100 (B).
    # A: processes 3/3, amount 390/2100 = 0.185714, buyers 1/2, median 13 → ratio 1 → price 1:
    #    35 + 20·0.185714 + 20·0.5 + 25 = 73.714 → 73.7
    # B: processes 2/3, amount 1, buyers 1, median 10.5 → ratio 0.8077 → price 1:
    #    35·0.666667 + 20 + 20 + 25 = 88.333 → 88.3
    # C: processes 1/3, amount 40/2100 = 0.019048, buyers 1/2, median 40 → ratio 3.0769 → 0:
    #    11.667 + 0.381 + 10 + 0 = 22.048 → 22.0
    assert (found[A].score, found[B].score, found[C].score) == (
        Decimal("73.7"),
        Decimal("88.3"),
        Decimal("22.0"),
    )
    assert found[A].score_parts["amount"].quantize(Decimal("0.000001")) == Decimal("0.185714")
    assert found[B].price_ratio == Decimal("0.8077")
    assert found[C].price_ratio == Decimal("3.0769") and found[C].score_parts["price"] == 0
    # The most processes alone no longer wins: B (more buyers, amount, better price) goes first.
    assert [c.rfc for c in candidates(reference)] == [B, A, C]
    assert found[B].score_explanation == (
        "Procesos 0.67 × 35 % + monto 1.00 × 20 % + compradores 1.00 × 20 % + precio 1.00 × 25 %"
    )


def test_without_reference_price_the_price_part_is_neutral():
    reference = basket(*BASKET[:4])  # four prices: no statistics, no reference price
    assert reference.reference_price() is None
    found = {c.rfc: c for c in candidates(reference)}
    # A: 35 + 20·(390/1000) + 20 + 12.5 = 75.3; B: 35/3 + 20 + 20 + 12.5 = 64.2
    assert (found[A].score, found[B].score) == (Decimal("75.3"), Decimal("64.2"))
