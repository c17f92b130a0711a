"""Entity and supplier pages: their figures, processes and buyers."""

import re
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_entity_page_figures_by_procedure_type_and_year(client, public_dataset):
    response = client.get("/entes/SICT/")

    figures = response.context["figures"]
    assert figures["count"] == 3
    # road (12.4 M, award only) + laptops (2.625 M, tender only) + kits (255 k, contract)
    assert figures["amount"] == Decimal("12400000") + Decimal("2625000") + Decimal("255000")
    by_method = {row["code"]: (row["count"], row["amount"]) for row in figures["by_method"]}
    assert by_method == {
        "open": (1, Decimal("12400000")),
        "direct": (2, Decimal("2625000") + Decimal("255000")),
    }
    by_year = {row["key"]: row["count"] for row in figures["by_year"]}
    assert by_year == {2025: 2, 2024: 1}
    text = visible(response.content.decode())
    assert "2024 Adjudicación directa 1 2,625,000.00" in text
    assert "2025 Licitación pública 1 12,400,000.00" in text


def test_entity_page_lists_its_processes_and_links_to_the_filtered_search(client, public_dataset):
    html = client.get("/entes/IMSS/").content.decode()

    assert public_dataset["medicamentos"] in html
    assert public_dataset["limpieza"] in html
    assert public_dataset["carretera"] not in html
    assert 'href="/procesos/?ente=IMSS"' in html
    assert 'href="/procesos/?ente=IMSS&amp;procedimiento=selective"' in html


def test_entity_without_publications_is_404(client, public_dataset):
    from tests.factories import make_entity

    make_entity(key="NUEVO")

    assert client.get("/entes/NUEVO/").status_code == 404
    assert client.get("/entes/NOEXISTE/").status_code == 404


def test_entity_index_lists_entities_with_counts(client, public_dataset):
    text = visible(client.get("/entes/").content.decode())

    assert "Instituto Mexicano del Seguro Social 2" in text
    assert "Secretaría de Infraestructura, Comunicaciones y Transportes 3" in text


def test_supplier_page_contracts_across_entities(client, public_dataset):
    response = client.get("/proveedores/MME920427EM3/")

    context = response.context
    assert context["supplier"]["name"] == "Medicamentos Mexicanos, S.A. de C.V."
    assert context["count"] == 2
    buyers = {
        buyer["entity__key"]: (buyer["count"], buyer["amount"]) for buyer in context["buyers"]
    }
    assert buyers == {"IMSS": (1, Decimal("558000")), "SICT": (1, Decimal("255000"))}
    assert context["amount"] == Decimal("813000")
    html = response.content.decode()
    assert public_dataset["medicamentos"] in html and public_dataset["botiquines"] in html
    assert public_dataset["computadoras"] not in html  # it only bid there


def test_supplier_page_by_party_id_works_too(client, public_dataset):
    response = client.get("/proveedores/MX-RFC-CPE050505XY2/")

    assert response.status_code == 200
    assert response.context["supplier"]["name"] == "Constructora Pérez y Asociados, S.A. de C.V."


def test_unknown_supplier_is_404(client, public_dataset):
    assert client.get("/proveedores/XAXX010101000/").status_code == 404


def test_integrity_flags_place_renders_nothing_yet(client, public_dataset):
    html = client.get("/proveedores/MME920427EM3/").content.decode()

    assert "alerta" not in html.lower()
    assert "bandera" not in html.lower()
