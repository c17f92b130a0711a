"""The OIC's risk dashboard: permissions, figures, drill-down, exports, query budget."""

import csv
import io

import pytest
from openpyxl import load_workbook

from cms.roles import Role
from indicadores.risk.models import ProcessRisk, RiskCut
from tests.factories import make_entity, make_member, make_unit, make_user
from tests.indicadores import builders as b
from tests.indicadores.risk import dataset as d
from tests.ocds_pages.factories import SUPPLIER
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db

URL = "/tramite/riesgo/"


@pytest.fixture
def salud():
    entity = make_entity(key="SALUD")
    # The alert lifecycle listens to the same signal: the six flagged outcomes open six alerts.
    d.plant(entity, make_unit(entity, key="U1"), make_unit(entity, key="U2"))
    return entity


@pytest.fixture
def sep():
    entity = make_entity(key="SEP")
    data, outcomes = d.p4(entity)
    d.send(data, entity, make_unit(entity, key="SEP-U1"), outcomes)
    return entity


@pytest.fixture
def oic(client, salud):
    client.force_login(make_member(Role.OIC, salud))
    return client


def test_only_the_oic_and_national_roles_open_it(client, salud):
    client.force_login(make_member(Role.CAPTURISTA, salud))
    assert client.get(URL).status_code == 403
    client.force_login(make_member(Role.APROBADOR, salud))
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the login


def test_the_oic_sees_its_entity_with_the_hand_computed_figures(oic):
    page = oic.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["filters"].entity.key == "SALUD"
    board = page.context["board"]
    assert board.overall.index == 36.4 and board.overall.quality == 65.0
    assert [year for year, _score in board.by_year] == [2025]
    assert "<svg" in html and 'role="img"' in html and "<desc" in html
    units = {row[0]: row for row in board.tables["desglose"].rows}
    assert set(units) == {"U1", "U2"} and units["U1"][2] == 37.5
    alerts = {row[0]: row for row in board.tables["alertas"].rows}
    assert alerts["Abierta"][1] == 6 and alerts["Abierta"][-1] == 6
    assert alerts["Descartada"][-1] == 0
    indicators = {row[0]: row for row in board.tables["indicadores"].rows}
    assert indicators["MX-DOCS"][2:5] == [3, 2, 66.7]
    assert indicators["MX-DOCS"][6] == "revise los umbrales"
    assert board.tables["coocurrencia"].rows[0] == ["MX-ADMAX", "MX-SANC", 1]


def test_before_the_cuts_are_built_the_dashboard_says_so(oic):
    """An installation just updated to the cuts (migration 0009 leaves them empty) has indexed
    processes and no cuts until its next recompute: zeros would read as a clean entity."""
    page = oic.get(URL)
    assert "cortes-pendientes" not in page.content.decode()
    RiskCut.objects.all().delete()
    html = oic.get(URL).content.decode()
    assert 'data-testid="cortes-pendientes"' in html
    assert "próximo recálculo de indicadores" in html


def test_another_entity_is_a_404_for_the_oic(oic, sep):
    assert oic.get(URL, {"ente": "SEP"}).status_code == 404
    assert oic.get(URL + "procesos/", {"ente": "SEP"}).status_code == 404
    assert (
        oic.get(URL + "exportar/", {"ente": "SEP", "tabla": "indice", "formato": "csv"}).status_code
        == 404
    )


def test_the_national_administrator_sees_every_entity(client, salud, sep):
    client.force_login(make_user("nacional", is_superuser=True, is_staff=True))
    board = client.get(URL).context["board"]
    assert board.overall.processes == 5
    assert {row[0] for row in board.tables["desglose"].rows} == {"SALUD", "SEP"}
    sep_only = client.get(URL, {"ente": "SEP"}).context["board"]
    assert sep_only.overall.processes == 1


def test_filters_by_unit_year_procedure_and_category(oic):
    unit = oic.get(URL, {"unidad": "U1"}).context["board"]
    assert unit.overall.index == 37.5 and unit.overall.processes == 2
    direct = oic.get(URL, {"procedimiento": "direct"}).context["board"]
    assert direct.overall.processes == 2
    assert direct.overall.component("competition").measures[0].value == 1.0
    assert oic.get(URL, {"categoria": "works"}).context["board"].overall.processes == 0
    assert oic.get(URL, {"anio": 2025}).context["board"].overall.processes == 4


def test_drill_down_lists_the_processes_behind_a_figure(oic, salud):
    page = oic.get(URL + "procesos/", {"indicador": "MX-DOCS"})
    assert [row.ocid for row in page.context["page"]] == [d.ocid(salud, 1), d.ocid(salud, 3)]
    both = oic.get(URL + "procesos/", {"indicador": "MX-DOCS", "con": "R003"})
    assert [row.ocid for row in both.context["page"]] == [d.ocid(salud, 3)]
    board = oic.get(URL).context
    links = [url for _row, url in board["tables"]["indicadores"]["rows"] if url]
    assert any("indicador=MX-DOCS" in url for url in links)


def test_drill_down_names_procedures_in_spanish(oic, salud):
    page = oic.get(URL + "procesos/", {"procedimiento": "direct"})
    assert [row.ocid for row in page.context["page"]] == [d.ocid(salud, 2), d.ocid(salud, 4)]
    html = page.content.decode()
    assert "<td>Adjudicación directa</td>" in html and " · Adjudicación directa" in html
    assert ">direct<" not in html and "· direct" not in html
    form = oic.get(URL).content.decode()
    assert '<option value="limited">Adjudicación directa por excepción</option>' in form


def test_every_table_exports_to_csv_and_xlsx(oic):
    board = oic.get(URL).context["board"]
    for name, table in board.tables.items():
        response = oic.get(URL + "exportar/", {"tabla": name, "formato": "csv"})
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == table.columns and len(rows) == len(table.rows) + 1
        response = oic.get(URL + "exportar/", {"tabla": name, "formato": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[2]] == table.columns
        assert sheet.max_row == len(table.rows) + 2
    assert oic.get(URL + "exportar/", {"tabla": "nada", "formato": "csv"}).status_code == 404


# Session, user, its two permission sets, memberships, the OIC's entity key, the years, the
# chosen entity, the sums, the breakdown's names, the top suppliers, the alerts, and the form's
# entity and unit options (their flags add one when a top supplier has processes).
QUERIES = 15


def test_the_dashboard_reads_a_fixed_number_of_queries(oic, salud, django_assert_num_queries):
    oic.get(URL)  # the first request of a client also creates its session
    with django_assert_num_queries(QUERIES):
        assert oic.get(URL).status_code == 200
    for serial in range(10, 30):
        data, outcomes = d.p1(salud)
        data["ocid"] = d.ocid(salud, serial)
        d.send(data, salud, None, outcomes)
    assert ProcessRisk.objects.count() == 24
    with django_assert_num_queries(QUERIES):
        assert oic.get(URL).status_code == 200
    with django_assert_num_queries(QUERIES):
        assert oic.get(URL, {"procedimiento": "open"}).status_code == 200


def test_top_suppliers_with_their_findings(client, django_capture_on_commit_callbacks):
    """Real publications: the engine flags the sanctioned supplier, the table says so."""
    entity = make_entity(key="IMSS")
    b.s3_sanction(name=SUPPLIER["name"], rfc=SUPPLIER["identifier"]["id"])
    with django_capture_on_commit_callbacks(execute=True):
        publish_process(entity, tenderers=1)
        publish_process(entity, tenderers=4)
    client.force_login(make_member(Role.OIC, entity))
    table = client.get(URL).context["board"].tables["proveedores"]
    name, identifier, processes, _amount, flagged, codes = table.rows[0]
    assert (name, identifier, processes, flagged) == (
        SUPPLIER["name"],
        SUPPLIER["identifier"]["id"],
        2,
        2,
    )
    assert "MX-SANC (2)" in codes and "R018 (1)" in codes
    drill = client.get(URL + "procesos/", {"proveedor": SUPPLIER["id"]})
    assert drill.context["page"].paginator.count == 2
