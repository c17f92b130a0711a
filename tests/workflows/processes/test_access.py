"""Who may do what: capturistas cannot approve, the submitter never approves, roles per unit."""

import pytest

from cms.roles import Role
from ocds_pages.models import Release
from tests.factories import make_member, make_unit, make_user
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.processes.process_services import active_task

pytestmark = pytest.mark.django_db


def submitted_planning(world):
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    walker.capture("capturista", process, "planning", values.planning())
    return walker, process, active_task(walker.run(process, "planning"))


def test_capturista_cannot_approve():
    world = drafts.people()
    walker, process, task = submitted_planning(world)
    response = walker.as_("capturista2").post(f"/tramite/tareas/{task.pk}/", {"accion": "aprobar"})
    assert response.status_code == 403
    assert not Release.objects.filter(ocid=process.ocid).exists()


def test_submitter_cannot_approve_own_capture_even_holding_both_roles():
    world = drafts.people()
    make_member_role(world["capturista"], Role.APROBADOR, world)
    walker, process, task = submitted_planning(world)
    page = walker.as_("capturista").get(f"/tramite/tareas/{task.pk}/").content.decode()
    assert "otra persona aprobadora" in page
    response = walker.as_("capturista").post(f"/tramite/tareas/{task.pk}/", {"accion": "aprobar"})
    assert response.status_code == 403
    assert not Release.objects.filter(ocid=process.ocid).exists()
    # Another approver (entity-wide membership) may.
    walker.decide("aprobador2", process, "planning")
    assert Release.objects.filter(ocid=process.ocid).count() == 1


def make_member_role(user, role, world):
    from cms.models import Membership
    from cms.tenancy import forget_memberships

    Membership.objects.create(user=user, entity=world["entity"], unit=world["unit"], role=role)
    forget_memberships(user)


def test_superuser_who_submitted_cannot_approve_either():
    world = drafts.people()
    world["nacional"] = make_user("nacional", is_superuser=True, is_staff=True)
    walker = Walker(world)
    process = walker.create("nacional", "adjudicacion_directa")
    walker.capture("nacional", process, "planning", values.planning())
    task = active_task(walker.run(process, "planning"))
    response = walker.as_("nacional").post(f"/tramite/tareas/{task.pk}/", {"accion": "aprobar"})
    assert response.status_code == 403
    assert not Release.objects.filter(ocid=process.ocid).exists()


def test_return_needs_a_reason():
    world = drafts.people()
    walker, process, task = submitted_planning(world)
    response = walker.decide("aprobador", process, "planning", action="devolver", expect=422)
    assert "motivo" in response.content.decode()
    assert active_task(walker.run(process, "planning")).flow_task.name == "review"


def test_approver_of_another_unit_cannot_review():
    world = drafts.people()
    other_unit = make_unit(world["entity"], "050GYR999")
    world["ajeno"] = make_member(Role.APROBADOR, world["entity"], other_unit, "apr-otra-unidad")
    walker, process, task = submitted_planning(world)
    response = walker.as_("ajeno").post(f"/tramite/tareas/{task.pk}/", {"accion": "aprobar"})
    assert response.status_code == 403
    assert not any(t.pk == task.pk for t in _inbox(walker, "ajeno"))


def _inbox(walker, who):
    return walker.as_(who).get("/tramite/").context["tasks"]


def test_inbox_shows_capture_to_capturistas_and_review_to_approvers():
    world = drafts.people()
    walker, process, task = submitted_planning(world)
    assert [t.pk for t in _inbox(walker, "aprobador")] == [task.pk]
    assert [t.pk for t in _inbox(walker, "aprobador2")] == [task.pk]
    assert _inbox(walker, "capturista") == []
    assert _inbox(walker, "capturista2") == []


def test_taken_capture_is_not_open_to_the_other_capturista():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    task = active_task(walker.run(process, "planning"))
    data = walker.form_data(process, walker.run(process, "planning"), values.planning(), "guardar")
    assert walker.as_("capturista").post(f"/tramite/tareas/{task.pk}/", data).status_code == 302
    response = walker.as_("capturista2").post(f"/tramite/tareas/{task.pk}/", data)
    assert response.status_code == 403


def test_oic_reads_processes_but_cannot_create_or_capture():
    world = drafts.people()
    world["oic"] = make_member(Role.OIC, world["entity"], None, "oic-imss")
    walker, process, task = submitted_planning(world)
    assert walker.as_("oic").get(f"/tramite/procesos/{process.pk}/").status_code == 200
    assert walker.as_("oic").get("/tramite/procesos/nuevo/").status_code == 403
    response = walker.as_("oic").post(f"/tramite/tareas/{task.pk}/", {"accion": "aprobar"})
    assert response.status_code == 403
