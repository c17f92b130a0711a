"""Two approvers approve the same task at the same moment: exactly one release is published."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, connections

from ocds_pages.models import Release
from tests.workflows import drafts
from tests.workflows import form_values as values
from workflows import process_services as services
from workflows.procedures import Stage
from workflows.process_models import AuditAction, StageProcess

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
    process = services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Paracetamol",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
    )
    run = StageProcess.objects.get(contracting_process=process, stage=Stage.PLANNING)
    services.capture_submit(
        task=services.active_task(run), user=world["capturista"], values=values.planning()
    )
    return process, services.active_task(run)


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
            release = services.review_approve(
                task=type(task).objects.get(pk=task.pk), user=approver
            )
            outcomes.append(("published", release.release_id))
        except (PermissionDenied, services.WorkflowError) as refused:
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
