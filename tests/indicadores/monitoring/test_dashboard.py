"""The staff screens of contract monitoring: permission matrix, figures, drill-down, export."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cms.roles import Role
from indicadores.models import MonitoredContract
from tests.factories import make_entity, make_member, make_unit
from tests.indicadores.monitoring.contracts import (
    day,
    milestone,
    payment,
    persona_fisica,
    publish_contract,
)

pytestmark = pytest.mark.django_db
DASHBOARD = "/tramite/seguimiento/"
LIST = "/tramite/seguimiento/contratos/"


@pytest.fixture
def imss():
    return make_entity(key="IMSS")


@pytest.fixture
def sep():
    return make_entity(key="SEP")


@pytest.fixture
def units(imss):
    return make_unit(imss, key="UC-1"), make_unit(imss, key="UC-2")


@pytest.fixture
def planted(imss, sep, units, django_capture_on_commit_callbacks):
    """IMSS UC-1: a contract 20 days late (paid 30 %, so also paid ahead); UC-2: one on time;
    SEP: an over-paid contract."""
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        late = publish_contract(
            imss,
            1,
            {
                "milestones": [milestone(1, day(-20, today))],
                "transactions": [payment(1, day(-40, today), 300_000)],
            },
            unit=units[0],
        )
        calm = publish_contract(
            imss,
            2,
            {"milestones": [milestone(1, day(-60, today), day(-61, today))], "transactions": []},
            unit=units[1],
            contract_extra={"period": {"startDate": day(-90, today), "endDate": day(30, today)}},
        )
        over = publish_contract(
            sep,
            1,
            {
                "milestones": [milestone(1, day(-5, today), day(-5, today))],
                "transactions": [payment(1, day(-4, today), 1_200_000)],
            },
            supplier=persona_fisica(),
        )
    rows = {row.ocid: row for row in MonitoredContract.objects.all()}
    return {"late": rows[late], "calm": rows[calm], "over": rows[over]}


def login(client, user):
    client.force_login(user)
    return client


# --- permission matrix ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, planted):
    for url in (
        DASHBOARD,
        LIST,
        f"{LIST}{planted['late'].pk}/",
        "/tramite/seguimiento/exportar.csv",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_person_without_a_role_is_refused(client, planted, django_user_model):
    user = django_user_model.objects.create_user("nadie", password="x-123456789")
    assert login(client, user).get(DASHBOARD).status_code == 403


@pytest.mark.parametrize("role", [Role.APROBADOR, Role.OIC, Role.ADMIN_ENTE])
def test_entity_wide_staff_see_their_entitys_contracts_only(client, planted, imss, role):
    login(client, make_member(role, imss))
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [planted["late"], planted["calm"]]
    assert client.get(f"{LIST}{planted['late'].pk}/").status_code == 200
    assert client.get(f"{LIST}{planted['over'].pk}/").status_code == 404  # another entity's


@pytest.mark.parametrize("role", [Role.CAPTURISTA, Role.APROBADOR])
def test_a_unit_membership_sees_its_unit_only(client, planted, imss, units, role):
    login(client, make_member(role, imss, units[1]))
    assert list(client.get(LIST).context["page"].object_list) == [planted["calm"]]
    assert client.get(f"{LIST}{planted['late'].pk}/").status_code == 404
    assert client.get(DASHBOARD).context["figures"].total == 1


def test_the_national_administrator_sees_every_entity_and_filters_by_one(
    client, planted, admin_user
):
    login(client, admin_user)
    assert client.get(DASHBOARD).context["figures"].total == 3
    response = client.get(LIST, {"ente": "SEP"})
    assert list(response.context["page"].object_list) == [planted["over"]]


# --- the dashboard -------------------------------------------------------------------------------


def test_dashboard_figures(client, planted, imss):
    login(client, make_member(Role.OIC, imss))
    response = client.get(DASHBOARD)
    figures = response.context["figures"]
    statuses = {row["status"]: row["n"] for row in figures.by_status}
    assert statuses["pago_adelantado"] == 1 and statuses["en_tiempo"] == 1
    assert figures.counts["overdue"] == 1 and figures.counts["paid_ahead"] == 1
    assert figures.overdue == [planted["late"]]
    assert figures.suppliers[0]["late"] == 1
    assert sum(row["paid"] for row in figures.months) == 300_000
    assert sum(row["executed"] for row in figures.months) == 1_000_000
    html = response.content.decode()
    assert '<svg class="grafica" role="img"' in html and "Contratos por estado" in html
    assert "Proveedores con más entregas tardías" in html


def test_dashboard_filters(client, planted, imss):
    login(client, make_member(Role.OIC, imss))
    assert client.get(DASHBOARD, {"estado": "atrasado"}).context["figures"].total == 1
    assert client.get(DASHBOARD, {"unidad": "UC-2"}).context["figures"].total == 1
    assert client.get(DASHBOARD, {"proveedor": "Medicamentos"}).context["figures"].total == 2
    assert client.get(DASHBOARD, {"categoria": "works"}).context["figures"].total == 0


def test_dashboard_query_count_does_not_grow_with_contracts(
    client, planted, imss, django_assert_max_num_queries
):
    login(client, make_member(Role.OIC, imss))
    client.get(DASHBOARD)  # warm the session and the permission caches
    with django_assert_max_num_queries(18):
        assert client.get(DASHBOARD).status_code == 200


def test_the_contract_page_shows_progress_and_alerts(client, planted, imss):
    login(client, make_member(Role.OIC, imss))
    response = client.get(f"{LIST}{planted['late'].pk}/")
    html = response.content.decode()
    assert "Pagado antes de las entregas" in html and "20 días de atraso" in html
    assert "Entrega 1" in html and "5FB2822E-396D-4725-8521-CDC4BDD20C01" in html
    assert "MX-OVERDUE" in html  # the OIC sees the alert beside the contract


# --- export --------------------------------------------------------------------------------------


def test_csv_export_of_the_filtered_list(client, planted, imss):
    login(client, make_member(Role.OIC, imss))
    response = client.get("/tramite/seguimiento/exportar.csv", {"estado": "atrasado"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ocid", "Contrato", "Ente"]
    assert [row[0] for row in rows[1:]] == [planted["late"].ocid]


def test_xlsx_export(client, planted, imss):
    login(client, make_member(Role.OIC, imss))
    response = client.get("/tramite/seguimiento/exportar.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][9] == "Estado" and len(values) == 3


def test_an_unknown_export_format_is_404(client, planted, imss):
    login(client, make_member(Role.OIC, imss))
    assert client.get("/tramite/seguimiento/exportar.pdf").status_code == 404
