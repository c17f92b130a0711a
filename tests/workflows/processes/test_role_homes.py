"""Each role lands on a home with what waits for it, one click from each task (issue 16, 10)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import Membership
from cms.roles import Role
from tests.factories import make_entity, make_member, make_unit
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.factories import make_editor
from workflows.processes import process_services
from workflows.processes.process_models import StageProcess

pytestmark = pytest.mark.django_db


def new_process(world, title="Paracetamol para unidades médicas"):
    return process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title=title,
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
    )


def planning_task(process):
    return process_services.active_task(StageProcess.objects.get(contracting_process=process))


def submitted(world, title):
    process = new_process(world, title)
    process_services.capture_submit(
        task=planning_task(process), user=world["capturista"], values=values.planning()
    )
    return process


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_capturista_sees_returned_task_with_its_reason_one_click_away(client):
    world = drafts.people()
    process = submitted(world, "Guantes de nitrilo")
    process_services.review_return(
        task=planning_task(process),
        user=world["aprobador"],
        reason="Falta el oficio de suficiencia.",
    )
    html = home(client, world["capturista"])
    assert 'id="mi-captura-section"' in html
    assert f'href="/tramite/tareas/{planning_task(process).pk}/"' in html
    assert "Falta el oficio de suficiencia." in html
    assert "1 devuelta" in html
    assert f'href="/tramite/procesos/{process.pk}/"' in html  # my open processes
    assert 'id="mis-revisiones-section"' not in html


def test_aprobador_sees_pending_reviews_with_their_age(client):
    world = drafts.people()
    process = submitted(world, "Jeringas desechables")
    StageProcess.objects.filter(contracting_process=process).update(
        submitted_at=timezone.now() - timedelta(days=4)
    )
    html = home(client, world["aprobador"])
    assert 'id="mis-revisiones-section"' in html
    assert f'href="/tramite/tareas/{planning_task(process).pk}/"' in html
    assert "espera desde hace 4 días" in html
    assert 'id="mi-captura-section"' not in html


def test_submitter_does_not_see_own_capture_as_a_review(client):
    world = drafts.people()
    process = submitted(world, "Vendas")
    capturista = world["capturista"]

    Membership.objects.create(
        user=capturista, entity=world["entity"], unit=world["unit"], role=Role.APROBADOR
    )
    html = home(client, capturista)
    assert f'href="/tramite/tareas/{planning_task(process).pk}/"' not in html
    assert "No hay etapas esperando su revisión." in html


def test_oic_sees_the_entity_overview_and_the_alert_queue(client):
    world = drafts.people()
    submitted(world, "Guantes")
    new_process(world, "Cubrebocas")
    sict = make_entity("SICT")
    unit = make_unit(sict)
    new_process({"unit": unit, "capturista": make_member(Role.CAPTURISTA, sict, unit)}, "Asfalto")
    oic = make_member(Role.OIC, world["entity"])
    html = home(client, oic)
    assert 'id="panorama-ente-section"' in html
    assert 'href="/tramite/procesos/?closed=0">2</a>' in html  # not SICT's
    assert "<dt>Etapas en revisión</dt><dd>1</dd>" in html
    assert 'href="/tramite/alertas/"' in html


def test_entity_admin_sees_people_and_units_of_their_entity_only(client):
    entity = make_entity("IMSS")
    make_unit(entity)
    make_member(Role.CAPTURISTA, entity)
    other = make_entity("SICT")
    make_member(Role.CAPTURISTA, other)
    make_member(Role.CAPTURISTA, other)
    admin = make_member(Role.ADMIN_ENTE, entity)
    html = home(client, admin)
    assert 'id="mi-ente-section"' in html
    assert 'href="/admin/auth/user/?is_active__exact=1">2</a>' in html  # the capturista and admin
    assert 'href="/admin/auth/user/create/"' in html


def test_editor_sees_forms_and_pages(client):
    entity = make_entity("IMSS")
    html = home(client, make_editor(entity))
    assert 'id="mis-formularios-section"' in html
    assert 'href="/admin/formularios/definiciones/"' in html
    assert 'id="paginas-sitio-section"' in html
    assert 'id="mi-captura-section"' not in html


def queries_of_home(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_home_queries_do_not_grow_with_the_tasks(client):
    world = drafts.people()
    both = world["aprobador2"]

    Membership.objects.create(
        user=both, entity=world["entity"], unit=world["unit"], role=Role.CAPTURISTA
    )
    submitted(world, "Uno")
    new_process(world, "Dos")
    few = queries_of_home(client, both)
    for title in ("Tres", "Cuatro", "Cinco"):
        submitted(world, title)
        new_process(world, f"{title} bis")
    assert queries_of_home(client, both) == few
    assert few <= 25, few  # 23 measured: session, memberships, tasks, counts, Wagtail's own
