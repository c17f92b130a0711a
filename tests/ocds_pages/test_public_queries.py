"""No N+1 on the public pages: each page makes a fixed number of queries, the same with five
processes as with ten, and a cached page (nothing published since) makes fewer or none."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devtools.generator import Item, ProcessSpec, Supplier, lifecycle_releases
from ocds_pages.publication import publish_releases
from tests.ocds_pages.public_data import ocid

pytestmark = pytest.mark.django_db

SEARCH = "/procesos/?q=medicamentos&ente=IMSS&proveedor=MME920427EM3&clasificacion=25&anio=2025"

# Queries of a page when nothing is cached yet.
PAGES = {
    # Wagtail finds the site and the page (5), then figures (2) and the latest processes (1)
    "/": 8,
    # entity and unit choices (2), count, page of results, suppliers of the page
    "/procesos/": 5,
    SEARCH: 5,
    # the record with entity, unit and projection joined; the list of its releases; the
    # contracts' monitoring rows (a section of indicadores, ocds_pages.public_sections)
    "/procesos/ocds-cidemo-IMSS-000001/": 3,
    "/entes/": 1,
    # entity, "has publications", figures, latest processes (entity and unit joined); the risk
    # index panel (indicadores/risk/public.py: its years, none here; with an index, +1 for units);
    # the contract monitoring panel (indicadores/monitoring/public.py: one aggregate)
    "/entes/IMSS/": 6,
    # first supplier row, buyers aggregate, processes with entity joined; the risk panel's sum;
    # the unit-price panel of market research (indicadores/market, registered on "proveedor")
    "/proveedores/MME920427EM3/": 5,
}


@pytest.fixture(autouse=True)
def _cold_content_types():
    # Wagtail looks up the page's content type through a process-wide cache; whether an earlier
    # test warmed it must not change the counts below.
    ContentType.objects.clear_cache()


def publish_more(public_dataset, count: int) -> None:
    """``count`` more processes per entity, each with several items, bidders and suppliers."""
    for entity, first in ((public_dataset["imss"], 10), (public_dataset["sct"], 10)):
        for serial in range(first, first + count):
            spec = ProcessSpec(
                ocid=ocid(entity, serial),
                title=f"Entrega de insumos número {serial}",
                description="Proceso adicional para comprobar que las consultas no crecen.",
                items=[
                    Item(f"Insumo {n}", f"25{n:06d}", 10 * n, "Pieza", Decimal("12.5"))
                    for n in range(1, 6)
                ],
                supplier=Supplier("MME920427EM3", "Medicamentos Mexicanos, S.A. de C.V."),
                bidders=[Supplier(f"BID{serial:06d}AA{n}", f"Licitante {n}") for n in range(3)],
                start=datetime.fromisoformat("2025-07-01T10:00:00-06:00"),
            )
            releases = lifecycle_releases(spec=spec, entity=entity)
            publish_releases(releases=releases, entity=entity)


def count_queries(client, url: str) -> int:
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(("url", "expected"), PAGES.items())
def test_each_page_makes_a_fixed_number_of_queries(
    client, public_dataset, django_assert_num_queries, url, expected
):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_the_data(client, public_dataset, url):
    before = count_queries(client, url)
    publish_more(public_dataset, 3)
    cache.clear()

    assert count_queries(client, url) == before


@pytest.mark.parametrize(
    ("url", "cached"),
    [
        ("/procesos/ocds-cidemo-IMSS-000001/", 0),
        ("/entes/", 0),
        ("/entes/IMSS/", 0),
        ("/proveedores/MME920427EM3/", 0),
        ("/procesos/", 0),  # an anonymous visitor gets the whole page (public.cached_page)
        ("/", 4),  # Wagtail's page lookup remains; the figures come from the cache
    ],
)
def test_a_second_visit_is_served_from_the_cache(client, public_dataset, url, cached):
    client.get(url)

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    assert len(context) == cached
