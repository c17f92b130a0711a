"""Statistics of an item's whole basket kept per CUCoP key (indicadores/market/summaries.py): the
same numbers as counting the rows, read back while the key's rows are unchanged, counted again
after any change, never used for a narrowed, adjusted or excluded basket."""

from decimal import Decimal

import pytest

from indicadores.market import aggregates, inflation, selectors, services, summaries
from indicadores.market.inflation import Adjuster
from indicadores.market.models import PriceObservation, PriceSummary
from ocds_pages.models import Record
from tests.indicadores.market.helpers import CUCOP, SUPPLIER_A, SUPPLIER_B, publish_priced
from tests.ocds_pages.factories import make_entity

pytestmark = pytest.mark.django_db

PRICES = "/api/mercado/precios/"
OTHER = "42100001"


@pytest.fixture
def entity():
    entity = make_entity()
    entity.state = "JAL"
    entity.save()
    return entity


@pytest.fixture
def basket(entity):
    """10, 12, 13 and 100 by A in 2025 (lots of 5, one of 1); 11 (2024) and 14 by B (lots of
    200)."""
    for price, day in ((10, "2025-01-10"), (12, "2025-02-10"), (13, "2025-03-10")):
        publish_priced(entity, price, date=day, quantity=5)
    publish_priced(entity, 100, date="2025-04-10", quantity=1)
    publish_priced(entity, 11, supplier=SUPPLIER_B, date="2024-06-10", quantity=200)
    publish_priced(entity, 14, supplier=SUPPLIER_B, date="2025-05-10", quantity=200)
    return entity


def counted(key=CUCOP):
    return aggregates.statistics(selectors.search(clasificacion=key).order_by(), Adjuster({}))


def whole(key=CUCOP, **options):
    return selectors.price_reference(selectors.search(clasificacion=key), item=key, **options)


def tamper(key=CUCOP, minimum="0.0001"):
    """Change the stored minimum (fingerprint kept) to see which statistics a read returns."""
    row = PriceSummary.objects.get(classification_id=key)
    row.statistics["summary"]["minimum"] = minimum
    row.save(update_fields=["statistics"])


def test_whole_item_is_a_key_and_nothing_else():
    assert summaries.whole_item({"clasificacion": f" {CUCOP} ", "filas": "5"}) == CUCOP
    assert summaries.whole_item({"clasificacion": CUCOP, "inpc": ""}) == CUCOP
    for narrowing in ("unidad", "anio", "estado", "texto", "familia", "moneda", "fuente"):
        assert summaries.whole_item({"clasificacion": CUCOP, narrowing: "x"}) == "", narrowing
    assert summaries.whole_item({"clasificacion": CUCOP, "inpc": "1"}) == ""
    assert summaries.whole_item({"clasificacion": CUCOP, "inpc": "True"}) == ""
    assert summaries.whole_item({"texto": "paracetamol"}) == ""


def test_stored_statistics_are_the_counted_ones_and_come_back_exactly(basket):
    first = whole()
    row = PriceSummary.objects.get(classification_id=CUCOP)
    keys = PriceObservation.objects.filter(classification_id=CUCOP)
    assert (row.prices, row.last_price) == (6, max(keys.values_list("pk", flat=True)))
    again = whole()
    expected = counted()
    for reference in (first, again):
        assert reference.summary == expected.summary
        assert (reference.by_unit, reference.by_year) == (
            expected.groups["unit"],
            expected.groups["year"],
        )
        assert (reference.by_state, reference.by_band) == (
            expected.groups["state"],
            expected.groups["band"],
        )
        assert reference.mixed_units is False
    # 10 11 12 13 14 100: Q1 11.25, Q3 13.75, fences 7.5 and 17.5; 100 is the outlier, and the
    # median of the valid 10 … 14 is 12.
    assert (again.summary.p25, again.summary.upper_fence) == (
        Decimal("11.2500"),
        Decimal("17.5000"),
    )
    assert again.summary.valid_median == Decimal("12.0000")
    assert [row.price for row in again.rows if row.outlier] == [Decimal(100)]
    # By year: 2024 has one price (under five: no statistics), 2025 five.
    assert [(year, s.count, s.sufficient) for year, s in again.by_year] == [
        (2024, 1, False),
        (2025, 5, True),
    ]


def test_the_api_answers_the_same_bytes_counted_and_stored(client, basket):
    counted_once = client.get(PRICES, {"clasificacion": CUCOP}).content
    assert PriceSummary.objects.filter(classification_id=CUCOP).exists()
    stored_once = client.get(PRICES, {"clasificacion": CUCOP}).content
    # Counts stay integers (``outliers``: 1, not 1.0) and decimals the same numbers.
    assert stored_once == counted_once and b'"outliers":1,' in stored_once


def test_a_read_uses_the_stored_statistics_while_the_rows_are_unchanged(basket):
    whole()
    tamper()
    assert whole().summary.minimum == Decimal("0.0001")


def test_a_new_row_of_the_key_makes_the_next_read_count_again(basket, entity):
    whole()
    tamper()
    publish_priced(entity, 9, date="2025-05-10", quantity=5)
    fresh = whole()
    assert fresh.summary.minimum == Decimal("9.0000") and fresh.summary.count == 7
    assert fresh.summary == counted().summary
    assert PriceSummary.objects.get(classification_id=CUCOP).prices == 7


def test_a_deleted_or_replaced_row_makes_the_next_read_count_again(basket):
    whole()
    tamper()
    PriceObservation.objects.filter(classification_id=CUCOP, unit_price=100).delete()
    assert whole().summary == counted().summary and whole().summary.outliers == 0
    tamper()
    # Republishing a process replaces its rows (deleted and inserted, services.refresh_local):
    # the count is the same, the largest id is not.
    record = PriceObservation.objects.filter(classification_id=CUCOP).latest("pk")
    services.refresh_local(Record.objects.get(ocid=record.ocid))
    assert whole().summary.minimum == Decimal("10.0000")


def test_another_key_or_currency_is_its_own_basket(basket, entity):
    whole()
    tamper()
    publish_priced(entity, 500, code=OTHER, description="Escritorio")
    # Another key's row leaves this key's stored statistics valid.
    assert whole().summary.minimum == Decimal("0.0001")
    assert whole(OTHER).summary.count == 1
    assert set(PriceSummary.objects.values_list("classification_id", flat=True)) == {CUCOP, OTHER}


def test_narrowed_adjusted_or_excluded_baskets_are_always_counted(client, basket):
    whole()
    tamper()
    rows = selectors.search(clasificacion=CUCOP)
    assert selectors.price_reference(rows).summary.minimum == Decimal("10.0000")
    excluded = {SUPPLIER_B[1]: "Sancionado en S3"}
    assert whole(excluded_suppliers=excluded).summary.count == 4
    row_key = PriceObservation.objects.get(unit_price=100).row_key
    assert whole(excluded_rows={row_key: "Lote de una pieza"}).summary.maximum == Decimal("14.0000")
    csv = "Periodo,INPC\n2024/06,131.3\n2025/04,140.0\n"
    inflation.load(inflation.parse_inegi_csv(csv.encode()), source="inpc.csv")
    assert whole(adjust=True).summary.minimum == Decimal("10.0000")
    # Through the API: a key with a unit is a narrowed basket; the key alone is the whole one.
    narrowed = client.get(PRICES, {"clasificacion": CUCOP, "unidad": "caja"}).json()
    assert narrowed["statistics"]["min"] == 10.0
    assert client.get(PRICES, {"clasificacion": CUCOP}).json()["statistics"]["min"] == 0.0001


def test_rebuild_stores_every_key_and_drops_keys_without_rows(basket, entity):
    publish_priced(entity, 500, code=OTHER, description="Escritorio")
    PriceSummary.objects.create(classification_id="99999999", prices=1, last_price=1, statistics={})
    counts = services.rebuild()
    assert counts["summaries"] == 2
    assert set(PriceSummary.objects.values_list("classification_id", flat=True)) == {CUCOP, OTHER}
    # Stored with the rebuilt rows' fingerprint: the first read after the rebuild counts nothing.
    tamper()
    assert whole().summary.minimum == Decimal("0.0001")
    assert "estadísticas guardadas de 2 claves CUCoP" in services.rebuild_summary(counts)


# --- candidate suppliers kept with the statistics ------------------------------------------------

SUPPLIERS = "/api/mercado/proveedores/"


def candidates_counted(key=CUCOP):
    return sorted(
        aggregates.supplier_totals(selectors.search(clasificacion=key).order_by(), Adjuster({})),
        key=lambda totals: totals.key,
    )


def candidates_read(**options):
    reference = whole(row_limit=0, **options)
    return sorted(selectors._supplier_totals(reference), key=lambda totals: totals.key)


def test_a_price_lookup_does_not_count_the_suppliers(basket):
    whole()
    assert PriceSummary.objects.get(classification_id=CUCOP).suppliers is None


def test_stored_supplier_totals_are_the_counted_ones_and_come_back_exactly(basket):
    first = candidates_read()  # counted, and kept with the statistics
    row = PriceSummary.objects.get(classification_id=CUCOP)
    stored = summaries.decode_suppliers(row.suppliers)
    assert {totals.key for totals in stored} == {SUPPLIER_A[1], SUPPLIER_B[1]}
    again = candidates_read()
    assert first == again == candidates_counted()
    # A: 10, 12, 13 (lots of 5) and 100 (a lot of 1): amount 175 + 100, median 12.5.
    supplier_a = next(totals for totals in again if totals.rfc == SUPPLIER_A[1])
    assert (supplier_a.contracts, supplier_a.amount, supplier_a.median_price) == (
        4,
        Decimal(275),
        Decimal("12.5"),
    )
    assert supplier_a.first_date.isoformat() == "2025-01-10"


def test_the_suppliers_api_answers_the_same_bytes_counted_and_stored(client, basket):
    counted_once = client.get(SUPPLIERS, {"clasificacion": CUCOP}).content
    assert PriceSummary.objects.get(classification_id=CUCOP).suppliers is not None
    assert client.get(SUPPLIERS, {"clasificacion": CUCOP}).content == counted_once


def test_stored_supplier_totals_are_dropped_with_a_change_of_the_rows(basket, entity):
    candidates_read()
    row = PriceSummary.objects.get(classification_id=CUCOP)
    kept = summaries.decode_suppliers(row.suppliers)
    kept[0].contracts = 999  # tampered, fingerprint kept: the read returns it
    row.suppliers = summaries.encode_suppliers(kept)
    row.save(update_fields=["suppliers"])
    assert max(totals.contracts for totals in candidates_read()) == 999
    publish_priced(entity, 9, date="2025-05-10", quantity=5)
    fresh = candidates_read()
    assert fresh == candidates_counted() and max(t.contracts for t in fresh) == 5


def test_exclusions_do_not_change_the_kept_supplier_totals(basket):
    candidates_read()
    excluded = {SUPPLIER_B[1]: "Sancionado en S3"}
    # Experience counts every row of the search, excluded or not (selectors.candidates).
    assert candidates_read(excluded_suppliers=excluded) == candidates_counted()


def test_rebuild_keeps_the_supplier_totals_of_every_key(basket):
    services.rebuild()
    assert PriceSummary.objects.get(classification_id=CUCOP).suppliers is not None
    assert candidates_read() == candidates_counted()
