"""Price references (issue 18): extraction on publication, statistics on a hand-computed basket,
the minimum basket, quantity bands, the INPC adjustment and the rebuild."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicadores.market import inflation, selectors, services
from indicadores.market.extraction import price_rows
from indicadores.market.models import InflationIndex, PriceObservation
from indicadores.market.statistics import LOWEST, MEAN, MEDIAN, band, summarise
from tests.indicadores.market.helpers import CUCOP, SUPPLIER_B, item, publish_priced
from tests.ocds_pages.factories import make_entity

pytestmark = pytest.mark.django_db

# The basket of the docs (docs/mercado.md): 10, 12, 13, 14, 15, 16, 100; n = 7.
# Inclusive quartiles at p·(n − 1): Q1 at 1.5 → 12.5; median at 3 → 14; Q3 at 4.5 → 15.5.
# IQR = 3; fences 12.5 − 4.5 = 8 and 15.5 + 4.5 = 20: 100 is the only outlier.
# Inside the fences: 10 12 13 14 15 16 → mean 80 / 6 = 13.3333, median 13.5, lowest 10.
BASKET = [10, 12, 13, 14, 15, 16, 100]


@pytest.fixture
def entity():
    entity = make_entity()
    entity.state = "JAL"
    entity.save()
    return entity


def test_hand_computed_basket():
    summary = summarise(Decimal(p) for p in BASKET)
    assert summary.sufficient
    assert (summary.count, summary.minimum, summary.maximum) == (7, 10, 100)
    assert (summary.p25, summary.median, summary.p75) == (
        Decimal("12.5"),
        Decimal(14),
        Decimal("15.5"),
    )
    assert (summary.lower_fence, summary.upper_fence) == (Decimal(8), Decimal(20))
    assert summary.outliers == 1
    assert summary.trimmed_mean == Decimal("13.3333")
    assert summary.reference(MEDIAN) == Decimal("13.5")
    assert summary.reference(MEAN) == Decimal("13.3333")
    assert summary.reference(LOWEST) == Decimal(10)
    assert summary.is_outlier(Decimal(100)) and not summary.is_outlier(Decimal(16))


def test_fewer_than_five_prices_give_no_statistics_and_no_outliers():
    summary = summarise([Decimal(10), Decimal(11), Decimal(12), Decimal(1000)])
    assert not summary.sufficient
    assert not summary.is_outlier(Decimal(1000))
    data = summary.as_dict()
    assert data["count"] == 4 and "median" not in data
    assert "al menos 5" in data["message"]


def test_publication_fills_price_rows_from_awards_not_tender(entity):
    ocid = publish_priced(entity, 18.5, quantity=1200)
    rows = list(PriceObservation.objects.filter(ocid=ocid))
    assert len(rows) == 1  # the tender's estimate (99999) is not a price
    row = rows[0]
    assert (row.classification_id, row.family, row.unit_key) == (CUCOP, "253", "caja")
    assert (row.unit_price, row.quantity, row.currency) == (Decimal("18.5"), 1200, "MXN")
    assert (row.supplier_rfc, row.state, row.source) == ("MME920427EM3", "JAL", "local")
    assert row.date == datetime.date(2025, 3, 5) and row.year == 2025


def test_contract_items_replace_their_award_items_and_cancelled_awards_are_left_out():
    release = {
        "buyer": {"id": "B", "name": "Comprador"},
        "parties": [{"id": "S", "name": "Proveedor", "roles": ["supplier"]}],
        "awards": [
            {
                "id": "a1",
                "status": "active",
                "date": "2025-01-10T00:00:00Z",
                "suppliers": [{"id": "S"}],
                "items": [item(20)],
            },
            {
                "id": "a2",
                "status": "cancelled",
                "date": "2025-01-10T00:00:00Z",
                "suppliers": [{"id": "S"}],
                "items": [item(30)],
            },
        ],
        "contracts": [
            {
                "id": "c1",
                "awardID": "a1",
                "status": "active",
                "dateSigned": "2025-01-20T00:00:00Z",
                "items": [item(19)],
            },
        ],
    }
    rows = price_rows("ocds-x-1", release)
    assert [(r["unit_price"], r["date"]) for r in rows] == [
        (Decimal(19), datetime.date(2025, 1, 20))
    ]


def test_reference_of_a_published_basket_marks_the_outlier(entity):
    for price in BASKET:
        publish_priced(entity, price)
    reference = selectors.price_reference(selectors.search(clasificacion=CUCOP))
    assert reference.summary.median == Decimal(14)
    outliers = [row.price for row in reference.rows if row.outlier]
    assert outliers == [Decimal(100)]
    assert reference.reference_price() == Decimal("13.5")
    # Same rows, found by family and by free text without accents or case.
    assert selectors.search(familia="253").count() == 7
    assert selectors.search(texto="PARACETAMOL").count() == 7


def test_exclusions_leave_rows_visible_but_out_of_the_statistics(entity):
    for price in BASKET:
        publish_priced(entity, price)
    publish_priced(entity, 11, supplier=SUPPLIER_B)
    rows = selectors.search(clasificacion=CUCOP)
    reference = selectors.price_reference(
        rows, excluded_suppliers={"FAR010101AB2": "Sancionado en S3"}
    )
    assert reference.summary.count == 7
    assert [row.excluded for row in reference.excluded] == ["Sancionado en S3"]


def test_quantity_bands_and_filters(entity):
    for price in (10, 11, 12, 13, 14):
        publish_priced(entity, price, quantity=5)
    for price in (3, 3.1, 3.2, 3.3, 3.4):
        publish_priced(entity, price, quantity=5000)
    assert (band(Decimal(5)), band(Decimal(5000)), band(Decimal(10**6))) == (0, 3, 4)
    reference = selectors.price_reference(selectors.search(clasificacion=CUCOP))
    bands = {key: summary.median for key, summary in reference.by_band}
    assert bands == {0: Decimal(12), 3: Decimal("3.2")}
    bulk = selectors.search(clasificacion=CUCOP, cantidad_min=Decimal(1000))
    assert bulk.count() == 5
    single = selectors.search(clasificacion=CUCOP, cantidad_max=Decimal(10), anio=2025)
    assert single.count() == 5 and not selectors.search(clasificacion=CUCOP, anio=2024).exists()


def test_inpc_adjustment_and_its_absence(entity):
    publish_priced(entity, 10, date="2024-01-15")
    rows = selectors.search(clasificacion=CUCOP)
    reference = selectors.price_reference(rows, adjust=True)
    assert not reference.inflation_available
    assert reference.rows[0].price == Decimal(10) and not reference.rows[0].adjusted
    csv = "Título,INPC\nPeriodo,Índice\n2024/01,100.000\n2024/06,105\n2025/01,110.000\nNotas,x\n"
    values = inflation.parse_inegi_csv(csv.encode("latin-1"))
    assert inflation.load(values, source="inpc.csv") == 3
    reference = selectors.price_reference(rows, adjust=True)
    assert reference.inflation_available and reference.inflation_base == (2025, 1)
    assert reference.rows[0].price == Decimal(11) and reference.rows[0].adjusted
    assert InflationIndex.objects.count() == 3


def test_inpc_file_without_months_is_refused():
    with pytest.raises(inflation.InflationFileError):
        inflation.parse_inegi_csv(b"a,b\nc,d\n")


def test_rebuild_redoes_every_row(entity):
    for price in (10, 11):
        publish_priced(entity, price)
    PriceObservation.objects.all().delete()
    counts = services.rebuild()
    assert counts["prices"] == 2 and PriceObservation.objects.count() == 2
    call_command("reconstruir_precios", "--sin-progreso")
    assert PriceObservation.objects.count() == 2
