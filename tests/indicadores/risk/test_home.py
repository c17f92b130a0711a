"""The risk index on the admin home: the OIC's entity with a link to the dashboard, the
national administrator's highest entities; a fixed number of queries."""

import pytest

from cms.roles import Role
from indicadores.risk.home import risk_home
from tests.factories import make_entity, make_member, make_unit, make_user
from tests.indicadores.risk import dataset as d

pytestmark = pytest.mark.django_db


@pytest.fixture
def salud():
    entity = make_entity(key="SALUD", name="Secretaría de Salud")
    d.plant(entity, make_unit(entity, key="U1"), make_unit(entity, key="U2"))
    return entity


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_oic_lands_on_its_entity_index(client, salud):
    html = home(client, make_member(Role.OIC, salud))
    assert 'id="indice-riesgo-section"' in html
    assert "Secretaría de Salud, 2025: 4 procesos publicados." in html
    assert "<dd>36.4</dd>" in html  # the hand-computed index (test_dashboard.py)
    assert "<dd>65.0</dd>" in html  # and the data quality beside it
    assert 'href="/tramite/riesgo/?ente=SALUD"' in html


def test_other_roles_do_not_see_it(client, salud):
    for role in (Role.CAPTURISTA, Role.APROBADOR):
        assert 'id="indice-riesgo-section"' not in home(client, make_member(role, salud))


def test_the_national_administrator_sees_the_highest_entities(client, salud):
    sep = make_entity(key="SEP", name="Secretaría de Educación Pública")
    data, outcomes = d.p4(sep)
    d.send(data, sep, None, outcomes)
    html = home(client, make_user("nacional", is_superuser=True, is_staff=True))
    assert "Entes con el índice más alto en 2025:" in html
    assert html.index("Secretaría de Salud") < html.index("Secretaría de Educación Pública")
    assert 'href="/tramite/riesgo/"' in html


def test_an_entity_without_an_index_says_so(client):
    html = home(client, make_member(Role.OIC, make_entity(key="NUEVO")))
    assert "Aún no hay procesos publicados con índice de riesgo." in html


def test_the_panel_reads_one_query_whatever_the_years(salud, django_assert_num_queries):
    oic = make_member(Role.OIC, salud)
    oic.memberships.all()  # the memberships are read once per request, by every panel
    risk_home(oic)
    with django_assert_num_queries(1):
        context = risk_home(oic)
    assert context["items"][0].previous is None
    for year in (2023, 2024):
        data = d.release(salud, year, amount=50000, tender_start=f"{year}-02-03T10:00:00-06:00")
        d.send(data, salud, None, [d.outcome("MX-DOCS", d.FLAG)])
    with django_assert_num_queries(1):
        context = risk_home(oic)
    assert [item.score.year for item in context["items"]] == [2025]
    assert context["items"][0].previous.year == 2024
    national = make_user("nacional", is_superuser=True, is_staff=True)
    with django_assert_num_queries(2):
        assert risk_home(national)["year"] == 2025
