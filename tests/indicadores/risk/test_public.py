"""The risk index on the public entity and supplier pages: aggregates only, no personal data."""

import pytest
from django.core.cache import cache

from ocds_pages import public_panels
from tests.factories import make_entity, make_unit
from tests.indicadores import builders as b
from tests.indicadores.risk import dataset as d
from tests.ocds_pages.factories import SUPPLIER
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db

SERVANT = "Ana Torres Díaz"  # the S2 servant of the dataset (tests/indicadores/builders.py)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    """Two published processes of IMSS, the supplier sanctioned in S3, a servant in S2."""
    entity = make_entity(key="IMSS", name="Instituto Mexicano del Seguro Social")
    b.s3_sanction(name=SUPPLIER["name"], rfc=SUPPLIER["identifier"]["id"])
    with django_capture_on_commit_callbacks(execute=True):
        first = publish_process(entity, tenderers=1)
        publish_process(entity, tenderers=4)
    b.servant(file_numbers=[first])
    return entity


def test_the_entity_page_shows_the_index_its_components_and_counts(client, published):
    html = client.get("/entes/IMSS/").content.decode()
    assert 'data-testid="indice-riesgo"' in html
    assert "Índice de riesgo 2025" in html
    for text in ("Competencia", "Transparencia", "Legalidad", "Integridad"):
        assert text in html
    assert "Procesos por indicador, 2025" in html and "MX-SANC" in html
    assert "/api/indicadores/entes/?entity=IMSS" in html


def test_the_entity_page_names_no_person(client, published):
    html = client.get("/entes/IMSS/").content.decode()
    assert SERVANT not in html and "TODA820303QW2" not in html


def test_the_entity_page_shows_its_units(client, db):
    entity = make_entity(key="SALUD")
    d.plant(entity, make_unit(entity, key="U1", name="Compras centrales"), None)
    # The public page needs a published record; the index comes from the dataset's signals.
    publish_process(entity)
    html = client.get("/entes/SALUD/").content.decode()
    assert "Por unidad compradora, 2025" in html and "Compras centrales" in html


def test_the_supplier_page_leaves_registry_findings_out(client, published):
    html = client.get(f"/proveedores/{SUPPLIER['identifier']['id']}/").content.decode()
    assert 'data-testid="riesgo-proveedor"' in html
    panel = html[html.index('data-testid="riesgo-proveedor"') :]
    assert "R018" in panel and "competencia" in panel, panel
    assert "MX-SANC" not in html and "Integridad" not in html


def test_the_panel_follows_the_index(client, published, django_capture_on_commit_callbacks):
    before = client.get("/entes/IMSS/").content.decode()
    data, outcomes = d.p3(published)
    with django_capture_on_commit_callbacks(execute=True):
        d.send(data, published, None, outcomes)
    after = client.get("/entes/IMSS/").content.decode()
    assert before != after  # a new process moved the index; the cached panel was dropped


def test_a_failing_panel_leaves_the_page_up(client, published):
    def broken(key):
        raise RuntimeError("panel roto")

    public_panels.register("ente", "roto", broken)
    try:
        assert client.get("/entes/IMSS/").status_code == 200
    finally:
        public_panels.unregister("ente", "roto")
