"""The capturista sees the same integrity findings while capturing: warnings that never block.

The source is registered through the contract (workflows.processes.integrity.register_source), as in
tests/workflows/processes/test_integrity.py.
"""

import pytest

from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.processes.test_integrity import SanctionRegistrySource
from tests.workflows.walker import Walker
from workflows.processes import integrity, process_services
from workflows.processes.integrity import register_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(monkeypatch):
    monkeypatch.setattr(integrity, "_sources", {})
    registered = SanctionRegistrySource()
    register_source("prueba", registered)
    return registered


def award_in_capture(world, walker):
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    run = walker.start("capturista", process, "award")
    return process, run, process_services.active_task(run)


def save(walker, process, run, task, captured):
    data = walker.form_data(process, run, captured, "guardar")
    return walker.as_("capturista").post(f"/tramite/tareas/{task.pk}/", data)


def test_capture_shows_the_findings_of_the_draft_as_warnings(source):
    world = drafts.people()
    walker = Walker(world)
    process, run, task = award_in_capture(world, walker)
    page = walker.as_("capturista").get(f"/tramite/tareas/{task.pk}/").content.decode()
    assert "Se calcularán cuando el formulario esté completo y sin errores." in page
    assert save(walker, process, run, task, values.award()).status_code == 302
    page = walker.as_("capturista").get(f"/tramite/tareas/{task.pk}/").content.decode()
    panel = page[page.index('data-testid="hallazgos-integridad"') :]
    assert "Son avisos: no impiden guardar ni enviar a revisión." in panel
    assert "MX-SANC · Proveedor sancionado" in panel and "Bloquea la aprobación" in panel
    assert "RFC idéntico" in panel  # the same evidence the approver will see
    assert "<textarea" not in panel.split("</section>")[0]  # nothing to justify here
    # The judged record is the draft applied to what is published.
    assert source.candidates[-1].stage == "award"
    assert source.candidates[-1].compiled_release["tender"]["procurementMethod"] == "direct"


def test_findings_never_block_the_capture(source):
    world = drafts.people()
    walker = Walker(world)
    process, run, _task = award_in_capture(world, walker)
    walker.capture("capturista", process, "award", values.award())  # sent to review: 302
    assert process_services.active_task(run).flow_task.name == "review"


def test_a_clean_draft_says_so(monkeypatch):
    monkeypatch.setattr(integrity, "_sources", {})
    register_source("prueba", SanctionRegistrySource(sanctioned=()))
    world = drafts.people()
    walker = Walker(world)
    process, run, task = award_in_capture(world, walker)
    save(walker, process, run, task, values.award())
    page = walker.as_("capturista").get(f"/tramite/tareas/{task.pk}/").content.decode()
    assert 'data-testid="sin-hallazgos"' in page
