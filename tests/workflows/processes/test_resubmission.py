"""A stage sent back to review after a return shows the approver the return's reason and what
changed since the returned version (issue 16, item 8)."""

import pytest

from tests.workflows import drafts
from tests.workflows import form_values as values
from workflows.processes import process_services
from workflows.processes.audit import net_changes
from workflows.processes.process_models import StageProcess

pytestmark = pytest.mark.django_db


def planning_run(world):
    process = process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Paracetamol para unidades médicas",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
    )
    return StageProcess.objects.get(contracting_process=process)


def submit(world, run, captured):
    issues = process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=captured
    )
    assert issues == [], issues


def review_page(client, world, run) -> str:
    client.force_login(world["aprobador"])
    response = client.get(f"/tramite/tareas/{process_services.active_task(run).pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_resubmitted_stage_shows_the_return_reason_and_the_changes(client):
    world = drafts.people()
    run = planning_run(world)
    submit(world, run, values.planning())
    process_services.review_return(
        task=process_services.active_task(run),
        user=world["aprobador"],
        reason="El programa presupuestario no corresponde.",
    )
    corrected = {**values.planning(), "programa": "E002 Prevención y control"}
    submit(world, run, corrected)

    html = review_page(client, world, run)
    section = html[html.index('data-testid="reenvio"') :]
    assert "El programa presupuestario no corresponde." in section
    assert "Desde entonces cambió 1 dato:" in section
    table = section[: section.index("</table>")]
    assert "Programa presupuestario <code>programa</code>" in table
    assert "E001 Atención a la salud" in table
    assert "E002 Prevención y control" in table
    assert "Justificación" not in table  # unchanged fields are not listed


def test_resubmission_without_changes_says_so(client):
    world = drafts.people()
    run = planning_run(world)
    submit(world, run, values.planning())
    process_services.review_return(
        task=process_services.active_task(run), user=world["aprobador"], reason="Ok?"
    )
    submit(world, run, values.planning())
    html = review_page(client, world, run)
    assert 'data-testid="sin-cambios"' in html


def test_first_submission_has_no_resubmission_section(client):
    world = drafts.people()
    run = planning_run(world)
    submit(world, run, values.planning())
    assert 'data-testid="reenvio"' not in review_page(client, world, run)


def test_a_value_changed_and_put_back_is_no_change():
    diffs = [
        [{"path": "a", "before": 1, "after": 2}, {"path": "b", "before": "x", "after": "y"}],
        [{"path": "a", "before": 2, "after": 1}],
    ]
    assert net_changes(diffs) == [{"path": "b", "before": "x", "after": "y"}]
