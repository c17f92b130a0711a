"""The public pages are cached until a release is published: then every page shows it."""

from decimal import Decimal

import pytest

from devtools.generator import Item, ProcessSpec, lifecycle_releases
from ocds_pages.publication import publish_releases
from tests.ocds_pages.public_data import LIMPIEZA, ocid

pytestmark = pytest.mark.django_db


def publish_new_process(public_dataset, django_capture_on_commit_callbacks):
    entity = public_dataset["sct"]
    spec = ProcessSpec(
        ocid=ocid(entity, 50),
        title="Servicio de vigilancia en oficinas centrales",
        description="Seguridad privada.",
        items=[Item("Turno de vigilancia", "92121500", 365, "Turno", Decimal("1200"))],
        supplier=LIMPIEZA,
        category="services",
        stages=("tender", "award"),
    )
    # release_published is sent on commit; the test transaction never commits, so run it here.
    with django_capture_on_commit_callbacks(execute=True):
        publish_releases(releases=lifecycle_releases(spec=spec, entity=entity), entity=entity)
    return spec.ocid


def test_home_figures_change_after_a_publication(
    client, public_dataset, django_capture_on_commit_callbacks
):
    before = client.get("/").content.decode()
    assert '<span class="cifra">5</span>' in before

    publish_new_process(public_dataset, django_capture_on_commit_callbacks)

    assert '<span class="cifra">6</span>' in client.get("/").content.decode()


def test_entity_and_supplier_pages_show_the_new_process(
    client, public_dataset, django_capture_on_commit_callbacks
):
    client.get("/entes/SICT/")
    client.get(f"/proveedores/{LIMPIEZA.rfc}/")
    client.get("/entes/")

    new = publish_new_process(public_dataset, django_capture_on_commit_callbacks)

    assert client.get("/entes/SICT/").context["figures"]["count"] == 4
    supplier = client.get(f"/proveedores/{LIMPIEZA.rfc}/")
    assert supplier.context["count"] == 2
    assert new in supplier.content.decode()
    assert "Secretaría de Infraestructura, Comunicaciones y Transportes 4" in " ".join(
        client.get("/entes/").content.decode().split()
    ).replace('</a></th><td class="numero">', " ")


def test_process_page_shows_a_new_release_of_the_same_process(
    client, public_dataset, django_capture_on_commit_callbacks
):
    entity = public_dataset["sct"]
    ocid_ = ocid(entity, 60)
    spec = ProcessSpec(
        ocid=ocid_,
        title="Mantenimiento de puentes",
        description="Obra.",
        items=[Item("Mantenimiento", "72141100", 1, "Servicio", Decimal("900000"))],
        supplier=LIMPIEZA,
        category="works",
        stages=("tender", "award"),
    )
    tender, award = lifecycle_releases(spec=spec, entity=entity)
    with django_capture_on_commit_callbacks(execute=True):
        publish_releases(releases=[tender], entity=entity)
    assert (
        "Aún no se ha publicado la adjudicación."
        in client.get(f"/procesos/{ocid_}/").content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        publish_releases(releases=[award], entity=entity)

    html = client.get(f"/procesos/{ocid_}/").content.decode()
    assert "Aún no se ha publicado la adjudicación." not in html
    assert LIMPIEZA.name in html
