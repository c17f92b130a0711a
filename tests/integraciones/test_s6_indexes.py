"""On PostgreSQL the S6 text filters use the trigram indexes on ci_fold(column) (migration 0003)."""

import pytest
from django.db import connection

from integraciones.s6_request import S6Request
from integraciones.s6_selectors import FoldedContains, contrataciones_queryset
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
