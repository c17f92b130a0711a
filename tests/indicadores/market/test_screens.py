"""Staff screens of the market research: search, screening, studies and exclusions, directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.roles import Role
from indicadores.market.models import Exclusion, MarketStudy
from tests.factories import make_member, make_user
from tests.indicadores.builders import s3_sanction
from tests.indicadores.market.helpers import CUCOP, SUPPLIER_A, SUPPLIER_B, publish_priced
from tests.ocds_pages.factories import make_entity

pytestmark = pytest.mark.django_db

SEARCH = "/tramite/mercado/"


@pytest.fixture
def entity():
    entity = make_entity()
    for price in (10, 12, 13, 14, 15, 16, 100):
        publish_priced(entity, price)
    publish_priced(entity, 11, supplier=SUPPLIER_B)
    return entity


@pytest.fixture
def capturista(client, entity):
    user = make_member(Role.CAPTURISTA, entity)
    client.force_login(user)
    return user


def _study(client, entity) -> MarketStudy:
    response = client.post(
        "/tramite/mercado/estudios/nuevo/",
        {
            "clasificacion": CUCOP,
            "title": "Paracetamol para el segundo semestre",
            "quantity": "500",
            "method": "median",
            "entity": entity.pk,
        },
    )
    assert response.status_code == 302
    return MarketStudy.objects.get()


def test_search_by_cucop_shows_statistics_candidates_and_screening(client, capturista):
    s3_sanction(name=SUPPLIER_B[2], rfc=SUPPLIER_B[1])
    response = client.get(SEARCH, {"clasificacion": CUCOP})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="estadisticas"' in page and "Mediana" in page
    assert "Inhabilitación vigente en S3" in page
    assert "Atípico (fuera de las vallas)" in page
    assert "sin ajuste por inflación" in page
    # The score is explained and each supplier's parts shown; the flagged one is marked.
    assert (
        'data-testid="explicacion-puntaje"' in page and "La revisión de integridad no suma" in page
    )
    assert "Procesos 1.00 × 35 % + monto 1.00 × 20 %" in page
    flagged = page.split('data-testid="candidato-FAR010101AB2"')[1].split("</tr>")[0]
    assert 'data-testid="marca-hallazgos"' in flagged
    assert page.index("candidato-MME920427EM3") < page.index("candidato-FAR010101AB2")


def test_search_without_terms_asks_for_one(client, capturista):
    page = client.get(SEARCH, {"unidad": "caja"}).content.decode()
    assert "Escriba una clave CUCoP, una familia o un texto." in page


def test_people_without_an_entity_are_refused(client, entity):
    client.force_login(make_user())
    assert client.get(SEARCH, {"clasificacion": CUCOP}).status_code == 403


def test_study_exclusions_change_the_basket_and_need_a_reason(client, capturista, entity):
    study = _study(client, entity)
    url = f"/tramite/mercado/estudios/{study.pk}/"
    page = client.get(url).content.decode()
    # The reference is the median of the valid prices: 10 11 12 13 14 15 16 (100 is an outlier).
    assert 'data-testid="precio-referencia">$13.00<' in page
    refused = {"kind": "supplier", "key": "FAR010101AB2", "label": "Farmacéutica", "reason": ""}
    client.post(f"{url}excluir/", refused)
    assert not Exclusion.objects.exists()
    client.post(f"{url}excluir/", refused | {"reason": "Sancionado en S3"})
    exclusion = Exclusion.objects.get()
    assert (exclusion.reason, exclusion.created_by) == ("Sancionado en S3", capturista)
    page = client.get(url).content.decode()
    assert "Excluido de la canasta: Sancionado en S3" in page
    # Without the excluded supplier's 11: 10 12 13 14 15 16 → 13.5.
    assert 'data-testid="precio-referencia">$13.50<' in page
    client.post(f"{url}incluir/{exclusion.pk}/")
    assert not Exclusion.objects.exists()


def test_another_entitys_study_is_not_found(client, capturista, entity):
    study = _study(client, entity)
    other = make_member(Role.CAPTURISTA, make_entity(key="SEP", name="SEP", rfc="SEP210905778"))
    client.force_login(other)
    assert client.get(f"/tramite/mercado/estudios/{study.pk}/").status_code == 404


def test_study_page_queries_do_not_grow_with_suppliers(client, capturista, entity):
    study = _study(client, entity)
    url = f"/tramite/mercado/estudios/{study.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(4):
        rfc = f"PRV01010{n}AB1"
        publish_priced(entity, 12 + n, supplier=(f"MX-RFC-{rfc}", rfc, f"Proveedor {n}, S.A."))
    client.get(url)  # the item's rows changed: its statistics are counted and stored again
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_supplier_directory_and_profile_with_screening(client, capturista):
    s3_sanction(name=SUPPLIER_B[2], rfc=SUPPLIER_B[1])
    page = client.get("/tramite/mercado/proveedores/", {"clasificacion": CUCOP}).content.decode()
    assert SUPPLIER_A[2] in page and "Farmacéutica del Bajío" in page
    page = client.get(f"/tramite/mercado/proveedores/{SUPPLIER_B[1]}/").content.decode()
    assert "Inhabilitación vigente en S3" in page and "coincidencia por" in page
    assert "Procesos ganados en esta instalación" in page
    assert client.get("/tramite/mercado/proveedores/XXX000000XX0/").status_code == 404


def test_public_supplier_page_shows_unit_prices_but_no_screening(client, entity):
    s3_sanction(name=SUPPLIER_B[2], rfc=SUPPLIER_B[1])
    page = client.get(f"/proveedores/{SUPPLIER_A[1]}/").content.decode()
    assert "Precios unitarios por partida" in page and CUCOP in page
    assert (
        "Inhabilitación vigente en S3"
        not in client.get(f"/proveedores/{SUPPLIER_B[1]}/").content.decode()
    )


def test_a_long_candidate_list_shows_the_top_ones_and_the_excluded(
    client, capturista, entity, monkeypatch
):
    from indicadores.market import views

    monkeypatch.setattr(views, "MAX_SHOWN_CANDIDATES", 1)
    page = client.get(SEARCH, {"clasificacion": CUCOP}).content.decode()
    assert page.count('data-testid="candidato-') == 1
    assert 'data-testid="candidato-MME920427EM3"' in page  # the highest score
    assert "Se muestran los 1 proveedores de mayor puntaje (y los excluidos) de 2" in page
    study = _study(client, entity)
    url = f"/tramite/mercado/estudios/{study.pk}/"
    excluded = {"kind": "supplier", "key": SUPPLIER_B[1], "label": "Farmacéutica"}
    client.post(f"{url}excluir/", excluded | {"reason": "Sancionado en S3"})
    page = client.get(url).content.decode()
    # Below the top one, but excluded by a person: still listed, with the reason.
    assert 'data-testid="candidato-FAR010101AB2"' in page
    assert "Excluido de la canasta: Sancionado en S3" in page


def test_a_candidates_many_alerts_show_as_one_line_per_indicator_and_status(
    client, capturista, entity
):
    from tests.factories import make_unit
    from tests.indicadores.alert_helpers import compute, new_ocid, sanction

    unit = make_unit(entity)
    for _n in range(3):
        compute(new_ocid(entity), entity, unit, sanction())
    page = client.get(SEARCH, {"clasificacion": CUCOP}).content.decode()
    row = page.split('data-testid="candidato-MME920427EM3"')[1].split("</tr>")[0]
    assert "3 alertas MX-SANC en estado «abierta»; la más reciente en" in row
    assert row.count("/tramite/alertas/") == 1  # one link, to the latest
    assert 'data-testid="marca-hallazgos"' in row
