import pytest
from django.db import connection

from ocds_pages.models import ProcessProjection, SupplierProjection
from ocds_pages.publication import publish_release
from ocds_pages.selectors import items_matching, processes_matching, processes_with_supplier
from tests.ocds_pages.factories import (
    make_award_release,
    make_entity,
    make_tender_release,
    own_ocid,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search indexes exist on PostgreSQL"
)


def publish_two_processes():
    entity = make_entity()
    medicines, cleaning = own_ocid(entity, 1), own_ocid(entity, 2)
    publish_release(release=make_tender_release(ocid=medicines, entity=entity), entity=entity)
    publish_release(release=make_award_release(ocid=medicines, entity=entity), entity=entity)
    publish_release(
        release=make_tender_release(
            ocid=cleaning,
            entity=entity,
            tender={
                "title": "Servicio de limpieza de oficinas",
                "description": "Contratación del servicio integral de limpieza.",
                "items": [{"id": "1", "description": "Limpieza mensual de inmuebles"}],
            },
        ),
        entity=entity,
    )
    return medicines, cleaning


def explain(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.django_db
def test_processes_are_found_by_words_of_their_title():
    medicines, cleaning = publish_two_processes()

    assert list(processes_matching(text="limpieza").values_list("ocid", flat=True)) == [cleaning]
    assert list(processes_matching(text="medicamentos").values_list("ocid", flat=True)) == [
        medicines
    ]


@pytest.mark.django_db
def test_processes_are_found_by_supplier_name_or_rfc():
    medicines, _cleaning = publish_two_processes()

    by_name = processes_with_supplier(text="medicamentos mexicanos")
    by_rfc = processes_with_supplier(text="mme920427em3")

    assert list(by_name.values_list("ocid", flat=True)) == [medicines]
    assert list(by_rfc.values_list("ocid", flat=True)) == [medicines]


@pytest.mark.django_db
def test_items_are_found_by_description_with_their_unit_price():
    publish_two_processes()

    prices = items_matching(text="paracetamol").values_list("section", "unit_price")

    assert sorted((section, float(price)) for section, price in prices) == [
        ("award", 18.5),
        ("tender", 18.5),
    ]


@pytest.mark.django_db
@on_postgresql
def test_spanish_full_text_search_stems_and_uses_its_index():
    medicines, _cleaning = publish_two_processes()

    assert list(processes_matching(text="medicamento").values_list("ocid", flat=True)) == [
        medicines
    ]
    assert "process_fulltext_es" in explain(processes_matching(text="medicamento"))


@pytest.mark.django_db
@on_postgresql
def test_substring_search_on_names_uses_the_trigram_indexes():
    publish_two_processes()

    suppliers = SupplierProjection.objects.filter(name__icontains="mexicanos")
    titles = ProcessProjection.objects.filter(title__icontains="limpieza")

    assert "supplier_name_trgm" in explain(suppliers)
    assert "process_title_trgm" in explain(titles)
    assert "item_description_trgm" in explain(items_matching(text="paracetamol"))
