"""Issue 16, item 1: money starts in the installation's currency, in rows added later too; the
list offers the currencies in use, not the 302 ISO codes; paid sums never mix currencies."""

import re
from decimal import Decimal

import pytest

from ocds_pages.public import _contract
from tests.workflows import drafts
from workflows.forms.form_services import form_version_for
from workflows.forms.forms_engine import build_form

pytestmark = pytest.mark.django_db

TENDER = {
    "titulo": "Adquisición de medicamentos 2027",
    "descripcion": "Licitación pública nacional para abastecer unidades médicas.",
    "categoria": "goods",
    "montoEstimado_0": "250000.00",
    "montoEstimado_1": "MXN",
    "finPropuestas": "2027-03-01T10:00",
    "partidas-TOTAL_FORMS": "1",
    "partidas-INITIAL_FORMS": "0",
    "partidas-0-descripcion": "Paracetamol tabletas 500 mg",
    "partidas-0-cucop": "25301001",
    "partidas-0-cantidad": "12000",
    "partidas-0-unidad": "XBX",
}


def selected_currency(html: str, name: str) -> str | None:
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option value="([A-Z]{3})"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else None


def offered(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([A-Z]{3})"', select.group(1))


@pytest.fixture
def tender_task(client):
    world = drafts.people()
    run, task = drafts.tender_in_capture(world)
    client.force_login(world["capturista"])
    return f"/tramite/tareas/{task.pk}/"


def test_a_row_added_with_agregar_fila_starts_in_the_installation_currency(client, tender_task):
    response = client.post(tender_task, {**TENDER, "agregar_fila": "partidas"})
    html = response.content.decode()
    # Before the fix the new row's select had nothing selected, so the browser showed (and sent)
    # the first code of the list: AED.
    assert selected_currency(html, "partidas-1-precioUnitario_1") == "MXN"
    assert selected_currency(html, "partidas-0-precioUnitario_1") == "MXN"


def test_a_new_form_starts_in_the_configured_currency(client, tender_task, settings):
    settings.DEFAULT_CURRENCY = "USD"
    html = client.get(tender_task).content.decode()
    # An empty money field (the estimate starts from the planning's budget, in its currency).
    assert selected_currency(html, "partidas-0-precioUnitario_1") == "USD"
    assert offered(html, "partidas-0-precioUnitario_1")[0] == "USD"


def test_the_list_offers_the_currencies_in_use_default_first(client, tender_task, settings):
    settings.CAPTURE_CURRENCIES = ["USD", "EUR", "MXN", "XXX-not-a-code"]
    html = client.get(tender_task).content.decode()
    assert offered(html, "montoEstimado_1") == ["MXN", "USD", "EUR"]
    assert "AED" not in html


def test_a_currency_outside_the_list_is_refused_in_spanish():
    version = form_version_for(stage="tender", procedure_type="lp_nacional")
    form = build_form(version, {**TENDER, "montoEstimado_1": "AED"})
    assert not form.is_valid()
    assert "La moneda AED no se usa en esta instalación" in str(form.errors["montoEstimado"])


def test_paid_progress_never_adds_another_currency():
    contract = _contract(
        {
            "id": "c-1",
            "value": {"amount": 400000, "currency": "MXN"},
            "implementation": {
                "transactions": [
                    {"id": "1", "value": {"amount": 150000, "currency": "MXN"}},
                    {"id": "2", "value": {"amount": 250000, "currency": "AED"}},
                    {"id": "3", "value": {"amount": 1000, "currency": "USD"}},
                ]
            },
        }
    )
    progress = contract["progress"]
    assert progress["paid"] == Decimal(150000)
    assert progress["percent"] == 37
    assert progress["other_currencies"] == [
        {"amount": Decimal(250000), "currency": "AED"},
        {"amount": Decimal(1000), "currency": "USD"},
    ]


def test_public_sums_leave_out_other_currencies_instead_of_mixing_them():
    from cms.models import Entity
    from ocds_pages.projections import process_fields
    from ocds_pages.public import _entity_figures
    from ocds_pages.publication import publish_releases
    from tests.ocds_pages.factories import make_award_release, make_tender_release, own_ocid

    entity = Entity.objects.create(key="CURR", name="Ente de monedas", acronym="CURR")
    for serial, value in ((1, (100000, "MXN")), (2, (5000, "USD"))):
        ocid = own_ocid(entity, serial)
        award = {"value": {"amount": value[0], "currency": value[1]}}
        publish_releases(
            releases=[
                make_tender_release(ocid=ocid, entity=entity),
                make_award_release(ocid=ocid, entity=entity, award=award),
            ],
            entity=entity,
        )
    figures = _entity_figures(entity)
    assert sum(row["amount"] or 0 for row in figures["table"]) == 100000
    mixed = process_fields(
        {
            "awards": [
                {"value": {"amount": 100, "currency": "MXN"}},
                {"value": {"amount": 7, "currency": "USD"}},
            ]
        }
    )
    assert (mixed["awarded_amount"], mixed["currency"]) == (100, "MXN")
