"""Wording of the public supplier panel: singular for one process, one scrollable table region."""

import pytest
from django.core.cache import cache

from tests.factories import make_entity
from tests.ocds_pages.factories import SUPPLIER
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_one_process_reads_in_singular(client, django_capture_on_commit_callbacks):
    entity = make_entity(key="IMSS", name="Instituto Mexicano del Seguro Social")
    with django_capture_on_commit_callbacks(execute=True):
        publish_process(entity, tenderers=1)
    html = client.get(f"/proveedores/{SUPPLIER['identifier']['id']}/").content.decode()
    panel = html[html.index('data-testid="riesgo-proveedor"') :]
    assert "Sobre el proceso publicado en que resultó proveedor." in panel
    assert "Sobre los 1 procesos" not in panel
    # A single keyboard stop for the table (it was wrapped twice).
    assert panel[: panel.index("</section>")].count('class="tabla-desplazable"') == 1
