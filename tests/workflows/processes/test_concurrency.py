"""Two approvers approve the same task at the same moment: exactly one release is published."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, connections

from ocds_pages.models import Release
from tests.workflows import drafts
from tests.workflows import form_values as values
from workflows.base.procedures import Stage
from workflows.processes import process_services
from workflows.processes.process_models import AuditAction, StageProcess

pytestmark = [
    pytest.mark.postgres,
    # No serialized_rollback: its flush skips post_migrate and left the next transactional test
    # of the worker without content types; the test installs the forms it needs itself.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write anyway"
    ),
]


def submitted_planning(world):
    process = process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Paracetamol",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
    )
    run = StageProcess.objects.get(contracting_process=process, stage=Stage.PLANNING)
    process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=values.planning()
    )
    return process, process_services.active_task(run)


def test_two_approvers_at_once_publish_exactly_one_release():
    # A transactional test elsewhere in this worker may have flushed the shipped forms that the
    # migrations installed; put them back (the command is idempotent).
    call_command("instalar_formularios", verbosity=0)
    world = drafts.people()
    process, task = submitted_planning(world)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(approver):
        try:
            barrier.wait()
            # Each thread has its own database connection (Django keeps one per thread).
            release = process_services.review_approve(
                task=type(task).objects.get(pk=task.pk), user=approver
            )
            outcomes.append(("published", release.release_id))
        except (PermissionDenied, process_services.WorkflowError) as refused:
            outcomes.append(("refused", type(refused).__name__))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(world[who],)) for who in ("aprobador", "aprobador2")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _detail in outcomes) == ["published", "refused"]
    assert Release.objects.filter(ocid=process.ocid).count() == 1
    assert process.audit_entries.filter(action=AuditAction.APPROVE).count() == 1


def test_the_approver_who_loses_the_race_is_told_so_not_given_a_500():
    # issue 20, item 6: the same race through the screen both approvers use.
    from django.test import Client

    call_command("instalar_formularios", verbosity=0)
    world = drafts.people("CARRERA")
    process, task = submitted_planning(world)
    barrier = threading.Barrier(2)
    answers = []

    def approve(approver):
        client = Client(raise_request_exception=False)
        client.force_login(approver)
        try:
            barrier.wait()
            response = client.post(f"/tramite/tareas/{task.pk}/", {"accion": "aprobar"})
            answers.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(world[who],)) for who in ("aprobador", "aprobador2")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(code for code, _html in answers)
    assert codes[0] == 302, codes  # the winner goes to the process, with its release
    assert codes[1] in (403, 422), codes
    assert "ya no está pendiente" in answers[[c for c, _h in answers].index(codes[1])][1]
    assert Release.objects.filter(ocid=process.ocid).count() == 1
