"""Migration 0013 rewrites the flow paths Viewflow stored before the flows moved to
workflows/processes/flows.py, so processes started before the move keep their flow and tasks."""

import importlib

import pytest
from django.apps import apps
from viewflow.workflow.models import Process, Task

from tests.workflows import drafts
from workflows.processes import process_services
from workflows.processes.flows import TenderFlow

pytestmark = pytest.mark.django_db
migration = importlib.import_module("workflows.migrations.0013_flows_in_processes_package")


def stored_under(prefix: str) -> tuple[int, int]:
    """How many processes and tasks store a path starting with ``prefix``."""
    return (
        Process.objects.filter(flow_class__startswith=prefix).count(),
        Task.objects.filter(flow_task__startswith=prefix).count(),
    )


def test_stored_flow_paths_move_forward_and_back():
    world = drafts.people()
    run, task = drafts.tender_in_capture(world)
    now = stored_under("workflows/processes.flows.")
    assert now[0] >= 2 and now[1] >= 3  # planning and tender runs; their capture/review tasks

    migration.backwards(apps, None)
    assert stored_under("workflows/flows.") == now
    assert stored_under("workflows/processes.flows.") == (0, 0)

    migration.forwards(apps, None)
    assert stored_under("workflows/processes.flows.") == now
    assert stored_under("workflows/flows.") == (0, 0)
    run.refresh_from_db()
    assert run.flow_class is TenderFlow
    # The nodes are declared on StageFlow, so that is the class a task's path names.
    stored = Task.objects.filter(
        pk=task.pk, flow_task="workflows/processes.flows.StageFlow.capture"
    )
    assert stored.get().flow_task.name == "capture"
    assert process_services.active_task(run) == task
