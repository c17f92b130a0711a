"""On PostgreSQL the S6 filters and sorts use their indexes (ocds_pages migration 0007)."""

import pytest
from django.db import connection

from integraciones.s6_request import S6Request
from integraciones.s6_selectors import FoldedContains, contrataciones_queryset, ordering
from ocds_pages.models import ItemProjection, SupplierProjection
from ocds_pages.search import fold
from tests.ocds_pages.factories import make_entity
from tests.publishing import publish_process

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the folded trigram indexes exist on PostgreSQL"
    ),
]


def explain(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables would be scanned anyway
    return queryset.explain()


def explain_s6(query: dict) -> str:
    return explain(contrataciones_queryset(S6Request(query=query)))


def test_every_text_filter_is_served_by_its_folded_trigram_index():
    publish_process(make_entity())

    assert "process_title_folded_trgm" in explain_s6({"title": "medicamentos"})
    assert "process_buyer_name_folded_trgm" in explain_s6({"buyerName": "seguro"})
    # Supplier and item filters are EXISTS subqueries whose join order the planner picks with
    # the statistics of the moment; the condition inside them is what the indexes serve.
    suppliers = SupplierProjection.objects.filter(FoldedContains("name", "peñón"))
    items = ItemProjection.objects.filter(FoldedContains("description", "jeringas"))
    assert "supplier_name_folded_trgm" in explain(suppliers)
    assert "item_description_folded_trgm" in explain(items)


def test_ci_fold_removes_accents_and_case_like_python():
    text = "ÁRBOL Ñandú Pingüino Él"
    with connection.cursor() as cursor:
        cursor.execute("SELECT ci_fold(%s)", [text])
        assert cursor.fetchone()[0] == fold(text) == "arbol nandu pinguino el"


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ({"title": "asc"}, "process_title_es"),
        ({"title": "desc"}, "process_title_es"),
        ({"buyerName": "asc"}, "process_buyer_name_es"),
    ],
)
def test_a_sorted_first_page_reads_the_collation_index_instead_of_sorting(sort, index):
    publish_process(make_entity())
    request = S6Request(sort=list(sort.items()), page_size=200)
    queryset = contrataciones_queryset(request).order_by(*ordering(request.sort))[:200]

    plan = explain(queryset)

    assert index in plan
    assert "Sort Key" not in plan


def test_the_projection_stores_the_folded_text_ci_fold_would_compute():
    publish_process(make_entity())
    row = ItemProjection.objects.values("description", "description_folded").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT ci_fold(%s)", [row["description"]])
        assert cursor.fetchone()[0] == row["description_folded"]
