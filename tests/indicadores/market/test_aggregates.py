"""Baskets without whole rows (issue 18, speed): a page of rows with the statistics of all of them,
candidate suppliers added up in the database (PostgreSQL) or in Python (SQLite) with the same
numbers, and a fixed number of queries per request."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from indicadores.market import aggregates, inflation, selectors
from indicadores.market.inflation import Adjuster
from tests.indicadores.market.helpers import CUCOP, SUPPLIER_A, SUPPLIER_B, publish_priced
from tests.ocds_pages.factories import make_entity

pytestmark = pytest.mark.django_db

PRICES = "/api/mercado/precios/"
SUPPLIERS = "/api/mercado/proveedores/"
SUPPLIER_C = ("MX-RFC-CCC010101CC3", "CCC010101CC3", "Comercial del Centro, S.A. de C.V.")


@pytest.fixture
def basket():
    """A sells at 10, 12, 13 (lots of 5) and 100; B at 11 (2024) and 14; C once at 15, no lot."""
    entity = make_entity()
    entity.state = "JAL"
    entity.save()
    for price, day in ((10, "2025-01-10"), (12, "2025-02-10"), (13, "2025-03-10")):
        publish_priced(entity, price, date=day, quantity=5)
    publish_priced(entity, 100, date="2025-04-10", quantity=1)
    publish_priced(entity, 11, supplier=SUPPLIER_B, date="2024-06-10", quantity=200)
    publish_priced(entity, 14, supplier=SUPPLIER_B, date="2025-05-10", quantity=200)
    publish_priced(entity, 15, supplier=SUPPLIER_C, date="2025-06-10", quantity=20)
    return entity


def _totals(path, rows, adjuster):
    return {t.key: t for t in path(rows, adjuster)}


def test_a_page_of_rows_keeps_the_statistics_of_all(basket):
    rows = selectors.search(clasificacion=CUCOP)
    whole = selectors.price_reference(rows)
    page = selectors.price_reference(rows, row_limit=2)
    assert page.summary == whole.summary and page.by_year == whole.by_year
    assert (page.rows_total, whole.rows_total, len(page.rows)) == (7, 7, 2)
    # The most recent first: C's 15 (June) and B's 14 (May).
    assert [row.price for row in page.rows] == [Decimal(15), Decimal(14)]
    # 10 11 12 13 14 15 100: Q1 11.5, Q3 14.5, fences 7 and 19; 100 is the outlier.
    assert [row.price for row in whole.rows if row.outlier] == [Decimal(100)]
    assert whole.summary.valid_median == Decimal("12.5")


def test_supplier_totals_hand_computed(basket):
    found = _totals(aggregates.supplier_totals, selectors.search(clasificacion=CUCOP), Adjuster({}))
    a, b = found[SUPPLIER_A[1]], found[SUPPLIER_B[1]]
    assert (a.contracts, a.buyers, a.median_price) == (4, 1, Decimal("12.5"))
    # 10·5 + 12·5 + 13·5 + 100·1
    assert a.amount == Decimal(275)
    assert (a.first_date, a.last_date) == (date(2025, 1, 10), date(2025, 4, 10))
    assert (b.contracts, b.median_price, b.amount) == (2, Decimal("12.5"), Decimal(5000))
    assert a.sources == ["local"] and a.name == SUPPLIER_A[2]
    # Scores: B 35·0.5 + 20·1 + 20 + 25 = 82.5; A 35 + 20·0.055 + 20 + 25 = 81.1;
    # C 35·0.25 + 20·0.06 + 20 + 25·0.8 = 49.95 → 50.0 (its median 15 is 1.2 times 12.5).
    reference = selectors.price_reference(selectors.search(clasificacion=CUCOP), row_limit=0)
    ranked = selectors.candidates(reference)
    assert [(c.rfc, c.score) for c in ranked] == [
        (SUPPLIER_B[1], Decimal("82.5")),
        (SUPPLIER_A[1], Decimal("81.1")),
        (SUPPLIER_C[1], Decimal("50.0")),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GROUP BY path is PostgreSQL's")
def test_postgresql_and_python_add_up_suppliers_alike(basket):
    rows = selectors.search(clasificacion=CUCOP)
    in_sql = {t.key: t for t in aggregates._postgres_suppliers(rows)}
    in_python = _totals(aggregates._python_suppliers, rows, Adjuster({}))
    assert in_sql.keys() == in_python.keys() == {SUPPLIER_A[1], SUPPLIER_B[1], SUPPLIER_C[1]}
    for key, totals in in_sql.items():
        assert totals == in_python[key], key


def test_prices_adjusted_by_the_inpc_are_added_up_in_python(basket):
    csv = "Periodo,INPC\n2024/06,131.3\n2025/01,137.9\n2025/03,138.4\n2025/06,141.7\n"
    inflation.load(inflation.parse_inegi_csv(csv.encode()), source="inpc.csv")
    adjuster = Adjuster.current()
    rows = selectors.search(clasificacion=CUCOP)
    found = _totals(aggregates.supplier_totals, rows, adjuster)
    assert found == _totals(aggregates._python_suppliers, rows, adjuster)
    # B's 11 of June 2024 is taken to June 2025: 11 × 141.7 / 131.3; its 14 of May 2025 has no
    # index and stays. Median of the two, amount of 200 units each.
    june = Decimal(11) * (Decimal("141.7") / Decimal("131.3"))
    b = found[SUPPLIER_B[1]]
    assert b.median_price == june + (Decimal(14) - june) * Decimal("0.5")
    assert b.amount == Decimal(14) * 200 + june * 200  # the most recent first, as summed


def test_prices_api_reads_a_page_in_a_fixed_number_of_queries(
    client, basket, django_assert_num_queries
):
    # An item's whole basket, the first time: no stored statistics, the key's fingerprint, the
    # statistics (six columns of every row, which also count them), storing them, the page.
    with django_assert_num_queries(5):
        body = client.get(PRICES, {"clasificacion": CUCOP, "filas": 2}).json()
    assert body["rowsTotal"] == 7 and len(body["rows"]) == 2
    assert body["statistics"]["median"] == 13.0
    # Then: the stored statistics (with the fingerprint as a subquery) and the page.
    with django_assert_num_queries(2):
        assert client.get(PRICES, {"clasificacion": CUCOP, "filas": 2}).json() == body
    # Any other search is counted each time: the statistics and the page.
    with django_assert_num_queries(2):
        body = client.get(PRICES, {"texto": "paracetamol"}).json()
    assert body["rowsTotal"] == len(body["rows"]) == 7


def test_a_full_page_with_exclusions_counts_the_rows_once(basket, django_assert_num_queries):
    rows = selectors.search(clasificacion=CUCOP)
    excluded = {SUPPLIER_B[1]: "Sancionado en S3"}
    with django_assert_num_queries(3):
        reference = selectors.price_reference(rows, excluded_suppliers=excluded, row_limit=2)
        assert (reference.summary.count, reference.rows_total) == (5, 7)


def test_suppliers_api_reads_no_row(client, basket, django_assert_num_queries):
    # The stored statistics of the item, and with them its supplier totals (counted and stored
    # the first time, indicadores/market/summaries.py): one query.
    client.get(SUPPLIERS, {"clasificacion": CUCOP})
    with django_assert_num_queries(1):
        body = client.get(SUPPLIERS, {"clasificacion": CUCOP}).json()
    assert [r["supplier"]["rfc"] for r in body["results"]][0] == SUPPLIER_B[1]
    assert {r["supplier"]["rfc"]: r["contracts"] for r in body["results"]} == {
        SUPPLIER_A[1]: 4,
        SUPPLIER_B[1]: 2,
        SUPPLIER_C[1]: 1,
    }
