"""Long jobs without a broker (``make run`` on SQLite): cms.jobs runs them in a thread of the
process that starts them, or in place from ``manage.py ejecutar_trabajo``, and records each run."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cms import jobs
from cms.models import Job
from ocds_pages.models import Record
from tests.ocds_pages.factories import FIXTURES, make_entity
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(settings):
    settings.CELERY_BROKER_URL = ""
    settings.JOBS_PROGRESS_SECONDS = 0


@pytest.fixture
def gated_kind():
    """A job kind that reports progress and then waits until the test lets it finish."""
    gate, reached = threading.Event(), threading.Event()

    def run(job, progress):
        progress.set_total(4)
        progress.advance(1)
        progress.note("esperando")
        reached.set()
        if not gate.wait(timeout=60):
            raise jobs.JobError("La prueba no abrió la puerta.")
        progress.advance(3)
        return jobs.JobOutcome(summary="Listo", result={"n": 4})

    kind = jobs.register(
        jobs.JobKind(key="prueba_puerta", label="Prueba", description="Prueba", run=run)
    )
    yield kind, gate, reached
    gate.set()
    jobs.unregister(kind.key)


@pytest.fixture
def failing_kind():
    def run(job, progress):
        progress.advance(2)
        raise ValueError("división entre cero")

    kind = jobs.register(
        jobs.JobKind(key="prueba_falla", label="Prueba", description="Prueba", run=run)
    )
    yield kind
    jobs.unregister(kind.key)


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_job_runs_in_a_thread_and_its_progress_shows_meanwhile(gated_kind):
    kind, gate, reached = gated_kind
    job = jobs.create_job(kind.key, {"a": 1})

    thread = jobs.dispatch(job)

    assert reached.wait(timeout=30)
    running = Job.objects.get(pk=job.pk)  # read by this thread while the job's thread works
    assert running.status == Job.Status.RUNNING
    assert (running.progress_done, running.progress_total, running.progress_note) == (
        1,
        4,
        "esperando",
    )
    assert running.percent == 25
    gate.set()
    thread.join(timeout=30)
    done = Job.objects.get(pk=job.pk)
    assert done.status == Job.Status.DONE
    assert (done.summary, done.result, done.percent) == ("Listo", {"n": 4}, 100)
    assert done.task_id == ""


def test_a_job_is_never_run_twice(gated_kind):
    kind, gate, _reached = gated_kind
    gate.set()
    job = jobs.create_job(kind.key, {})
    assert jobs.execute(job.pk).status == Job.Status.DONE
    gate.clear()  # a second run would wait and fail

    again = jobs.execute(job.pk)

    assert again.status == Job.Status.DONE
    assert again.summary == "Listo"


def test_an_unexpected_error_is_recorded_with_what_was_done(failing_kind):
    job = jobs.create_job(failing_kind.key, {})

    job = jobs.execute(job.pk)

    assert job.status == Job.Status.FAILED
    assert job.error_message == "Error inesperado (ValueError): división entre cero"
    assert job.progress_done == 2
    assert job.finished_at is not None


def test_the_command_runs_a_job_in_place_and_records_it():
    entity = make_entity()
    ocids = [publish_process(entity) for _ in range(2)]
    out = StringIO()

    call_command("ejecutar_trabajo", "recompilar_registros", stdout=out)

    job = Job.objects.get()
    assert (job.kind, job.origin, job.status) == (
        "recompilar_registros",
        Job.Origin.COMMAND,
        Job.Status.DONE,
    )
    assert job.summary == "Registros recompilados: 2"
    assert (job.progress_done, job.progress_total) == (2, 2)
    assert f"Trabajo {job.pk} terminado." in out.getvalue()
    assert Record.objects.filter(ocid__in=ocids).count() == 2


def test_the_command_takes_json_parameters_and_fails_with_the_jobs_reason():
    with pytest.raises(CommandError, match="No hay datos publicados del año 1990."):
        call_command(
            "ejecutar_trabajo",
            "exportar_bulk",
            "--parametros",
            '{"years": [1990]}',
            stdout=StringIO(),
        )

    job = Job.objects.get()
    assert job.parameters == {"years": [1990]}
    assert job.status == Job.Status.FAILED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no_existe"], "No existe el tipo de trabajo «no_existe»."),
        (["exportar_bulk", "--parametros", "[1"], "--parametros no es JSON válido"),
        (["exportar_bulk", "--parametros", "[1]"], "--parametros debe ser un objeto JSON."),
        (["exportar_bulk", "--ente", "NADA"], "No existe el ente con clave «NADA»."),
        (["exportar_bulk", "--en-cola"], "No hay cola configurada"),
    ],
)
def test_the_command_refuses_bad_input_in_spanish(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ejecutar_trabajo", *args, stdout=StringIO())

    assert not Job.objects.exclude(status=Job.Status.PENDING).exists()


def test_the_command_lists_the_registered_kinds():
    out = StringIO()

    call_command("ejecutar_trabajo", "--lista", stdout=out)

    keys = {line.split("\t")[0] for line in out.getvalue().splitlines()}
    assert {
        "exportar_bulk",
        "importar_ocds",
        "recompilar_registros",
        "sincronizar_registros",
    } <= keys


def test_an_import_job_reports_its_figures_and_each_error():
    job = jobs.create_job(
        "importar_ocds", {"files": [str(FIXTURES / "fictional" / "ocds-213czf-000-00001.json")]}
    )

    job = jobs.execute(job.pk)

    assert job.status == Job.Status.FAILED  # nothing could be imported: the buyer is unknown
    assert job.result == {
        "imported": 0,
        "duplicates": 0,
        "conflicts": 0,
        "invalid": 0,
        "refused_ocid": 0,
        "warnings": 0,
        "without_entity": 6,
        "rejected_files": 0,
    }
    assert "Sin ente: 6" in job.summary
    assert "El comprador 'London Borough of Barnet'" in job.error_message
    assert job.progress_total == 6


def test_an_import_job_rejects_a_missing_file_without_storing_anything(tmp_path):
    job = jobs.create_job("importar_ocds", {"files": [str(tmp_path / "no-existe.json")]})

    job = jobs.execute(job.pk)

    assert job.status == Job.Status.FAILED
    assert job.error_message.startswith("no-existe.json rechazado:")
    assert job.result["rejected_files"] == 1
    assert not Record.objects.exists()


def test_a_registry_sync_with_no_provider_says_so():
    job = jobs.create_job("sincronizar_registros", {"system": "S1"})

    job = jobs.execute(job.pk)

    assert job.status == Job.Status.FAILED
    assert job.error_message == "No hay proveedores activos que coincidan."


def test_an_installation_wide_job_is_not_started_for_one_entity():
    make_entity(key="UNO")

    with pytest.raises(CommandError, match="Este trabajo es de toda la instalación"):
        call_command("ejecutar_trabajo", "exportar_bulk", "--ente", "UNO", stdout=StringIO())

    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_export_job_writes_its_progress_while_the_rows_stream(settings, tmp_path):
    """On PostgreSQL the export streams with COPY; progress written on the same connection would
    wait for the copy forever (cms.jobs.JobProgress writes on a connection of its own)."""
    settings.OCDS_BULK_DIR = tmp_path / "bulk"
    entity = make_entity()
    publish_process(entity, year=2025)
    publish_process(entity, year=2025)
    job = jobs.create_job("exportar_bulk", {"years": [2025]})

    job = jobs.execute(job.pk)

    assert job.status == Job.Status.DONE, job.error_message
    assert job.progress_total == job.progress_done > 0
    assert job.summary.startswith("2025: 2 procesos, 4 entregas")
