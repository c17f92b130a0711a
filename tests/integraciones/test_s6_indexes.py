"""On PostgreSQL the S6 text filters use the trigram indexes on ci_fold(column) (migration 0003)."""

import pytest
from django.db import connection

from integraciones.s6_request import S6Request
from integraciones.s6_selectors import contrataciones_queryset
from ocds_pages.search import fold
from tests.ocds_pages.factories import make_entity
from tests.publishing import publish_process

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the folded trigram indexes exist on PostgreSQL"
    ),
]


def explain(query: dict) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables would be scanned anyway
    return contrataciones_queryset(S6Request(query=query)).explain()


def test_every_text_filter_is_served_by_its_folded_trigram_index():
    publish_process(make_entity())

    assert "process_title_folded_trgm" in explain({"title": "medicamentos"})
    assert "process_buyer_name_folded_trgm" in explain({"buyerName": "seguro"})
    assert "supplier_name_folded_trgm" in explain({"supplierName": "peñón"})
    assert "item_description_folded_trgm" in explain({"itemDescription": "jeringas"})


def test_ci_fold_removes_accents_and_case_like_python():
    text = "ÁRBOL Ñandú Pingüino Él"
    with connection.cursor() as cursor:
        cursor.execute("SELECT ci_fold(%s)", [text])
        assert cursor.fetchone()[0] == fold(text) == "arbol nandu pinguino el"
