"""The process page: permalink by ocid, stages with dates, items, parties, contract, amendments,
implementation progress, documents with hashes, links to the OCDS JSON, Spanish labels."""

import hashlib
import re

import pytest

from ocds_pages import labels

pytestmark = pytest.mark.django_db


def page_text(client, ocid) -> str:
    response = client.get(f"/procesos/{ocid}/")
    assert response.status_code == 200
    return response.content.decode()


def visible(html: str) -> str:
    """The text a person reads, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_unknown_ocid_is_404(client, public_dataset):
    assert client.get("/procesos/ocds-cidemo-IMSS-999999/").status_code == 404


def test_summary_uses_plain_spanish_labels(client, public_dataset):
    text = visible(page_text(client, public_dataset["limpieza"]))

    assert "Servicio de limpieza integral en hospitales" in text
    assert "Invitación a cuando menos tres personas" in text
    assert "Servicios" in text  # mainProcurementCategory services
    assert "Vigente" in text  # contract status active
    assert "selective" not in text and "services" not in text


def test_timeline_lists_the_five_stages_with_dates_and_links(client, public_dataset):
    html = page_text(client, public_dataset["medicamentos"])

    timeline = html.split('class="linea-tiempo"')[1].split("</ol>")[0]
    anchors = re.findall(r'href="#(\w+)"', timeline)
    assert anchors == ["planeacion", "licitacion", "adjudicacion", "contrato", "ejecucion"]
    assert "14 Ene 2025" in timeline  # planning release date
    assert "12 Mar 2025" in timeline  # contract release date
    for anchor in anchors:
        assert f'id="{anchor}"' in html  # each link lands on its section


def test_stages_not_yet_published_are_said_so(client, public_dataset):
    html = page_text(client, public_dataset["computadoras"])  # planning and tender only

    timeline = visible(html.split('class="linea-tiempo"')[1].split("</ol>")[0])
    assert timeline.count("sin publicar") == 3
    assert "Aún no se ha publicado la adjudicación." in visible(html)


def test_items_show_quantities_unit_prices_and_totals(client, public_dataset):
    text = visible(page_text(client, public_dataset["medicamentos"]))

    assert "Paracetamol tabletas de 500 mg, caja con 10" in text
    assert "CUCOP 25300002" in text
    assert "12,000.00 Caja $18.50 MXN $222,000.00 MXN" in text
    assert "8,000.00 Caja $42.00 MXN $336,000.00 MXN" in text


def test_bidders_are_listed_and_suppliers_link_to_their_pages(client, public_dataset):
    html = page_text(client, public_dataset["medicamentos"])

    assert "2 propuestas recibidas." in html
    # A bidder that never won has no supplier page: named, not linked.
    assert "<li>Farmacéutica del Golfo, S.A. de C.V.</li>" in html
    assert 'href="/proveedores/MME920427EM3/">Medicamentos Mexicanos' in html
    assert client.get("/proveedores/MME920427EM3/").status_code == 200


def test_contract_amendment_and_implementation_progress(client, public_dataset):
    html = page_text(client, public_dataset["medicamentos"])
    text = visible(html)

    assert "Convenio modificatorio 1: se amplía la vigencia 30 días." in text
    assert "Motivo: Ampliación del plazo de entrega" in text
    # 45 % of 558,000.00 paid: the bar has a text equivalent a screen reader announces
    assert "Pagado: 45 % ($251,100.00 de $558,000.00 MXN)" in text
    assert re.search(r'<progress max="100" value="45" aria-labelledby="avance-1">', html)
    assert "Primera entrega en almacén central — Cumplido (Entrega)" in text
    assert "Segunda entrega en unidades médicas — Programado" in text


def test_documents_show_type_and_sha256(client, public_dataset):
    ocid = public_dataset["medicamentos"]
    text = visible(page_text(client, ocid))

    digest = hashlib.sha256(f"{ocid}/contrato".encode()).hexdigest()
    assert "Contrato firmado" in text
    assert f"SHA-256: {digest}" in text
    assert str(labels.DOCUMENT_TYPE["marketStudies"]) in text


def test_links_to_the_record_and_each_release_json(client, public_dataset):
    ocid = public_dataset["medicamentos"]
    html = page_text(client, ocid)

    assert f'href="/procesos/{ocid}/registro.json"' in html
    for number in range(1, 7):
        assert f'href="/procesos/{ocid}/entregas/{ocid}-{number:04d}.json"' in html
    assert "Convenio modificatorio" in visible(html.split('id="historial"')[1])


def test_unknown_codes_are_shown_as_they_are():
    assert labels.label("procurementMethod", "subasta") == "subasta"
    assert labels.label("releaseTag", "contractAmendment") == "Convenio modificatorio"
    assert labels.label("tenderStatus", None) == ""
