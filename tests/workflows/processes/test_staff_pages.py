"""Small defects of the staff screens (issue 16, item 11): the «Historia» list, the new-user form,
the order of the legal grounds, and the Spanish 403 and 404 pages."""

import re

import pytest

from cms.roles import Role
from tests.factories import make_entity, make_member
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.factories import make_editor
from workflows.models import LegalJustification
from workflows.processes import process_services
from workflows.processes.process_models import StageProcess

pytestmark = pytest.mark.django_db


def test_history_has_its_own_list_and_reads_oldest_first(client):
    world = drafts.people()
    process = process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Guantes",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
    )
    run = StageProcess.objects.get(contracting_process=process)
    process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=values.planning()
    )
    client.force_login(world["capturista"])
    html = client.get(f"/tramite/procesos/{process.pk}/").content.decode()
    history = html[html.index('id="historia"') :]
    assert '<ol class="bitacora">' in history
    assert "linea-tiempo" not in history  # the public page's five-column timeline
    actions = re.findall(r'data-testid="bitacora-(\w+)"', history)
    assert actions.index("create") < actions.index("submit")


def test_new_person_form_preselects_the_administrators_only_entity(client):
    entity = make_entity("IMSS")
    make_entity("SICT")
    client.force_login(make_member(Role.ADMIN_ENTE, entity))
    html = client.get("/admin/auth/user/create/").content.decode()
    select = re.search(r'<select name="entity".*?</select>', html, re.S).group(0)
    assert f'<option value="{entity.pk}" selected>' in select
    assert "---------" not in select


def test_legal_grounds_follow_the_roman_numerals():
    codes = list(
        LegalJustification.objects.filter(law="LAASSP", article="41")
        .in_legal_order()
        .values_list("code", flat=True)
    )
    assert codes.index("LAASSP-41-V") < codes.index("LAASSP-41-IX") < codes.index("LAASSP-41-X")
    assert codes.index("LAASSP-41-II") < codes.index("LAASSP-41-XI")


def test_legal_grounds_listing_is_in_legal_order(client):
    client.force_login(make_editor(make_entity("IMSS")))
    html = client.get("/admin/formularios/fundamentos/").content.decode()
    assert html.index("LAASSP-41-V<") < html.index("LAASSP-41-IX<") < html.index("LAASSP-41-X<")


def test_forbidden_page_is_spanish_without_the_icon_word(client):
    client.force_login(make_member(Role.OIC, make_entity("IMSS")))
    response = client.get("/tramite/procesos/nuevo/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Acceso denegado" in html
    assert "Sólo capturistas de una unidad compradora crean procesos." in html
    assert not re.search(r">\s*lock\s*<", html)
    assert "Access Forbidden" not in html


@pytest.mark.parametrize("debug", [True, False])
def test_missing_staff_row_shows_the_spanish_404(client, settings, debug):
    settings.DEBUG = debug
    client.force_login(make_member(Role.CAPTURISTA, make_entity("IMSS")))
    response = client.get("/tramite/procesos/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Página no encontrada" in html
    assert "Page not found" not in html
