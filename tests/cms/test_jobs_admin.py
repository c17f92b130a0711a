"""«Trabajos» in the admin: who sees and starts which jobs, the progress bar and the result, and
the periodic schedules (django-celery-beat). Without a broker the job runs in a thread of the
web process (cms.jobs), so these tests commit and wait for that thread."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from cms.models import Job
from cms.roles import Role
from tests.factories import make_entity, make_member, make_user
from tests.ocds_pages.factories import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.JOBS_PROGRESS_SECONDS = 0
    settings.JOBS_FILES_DIR = tmp_path / "trabajos"
    settings.OCDS_BULK_DIR = tmp_path / "bulk"


@pytest.fixture
def national(client):
    user = make_user(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def wait_for_thread(job_id: int) -> Job:
    for thread in threading.enumerate():
        if thread.name == f"trabajo-{job_id}":
            thread.join(timeout=60)
    return Job.objects.get(pk=job_id)


@pytest.mark.django_db(transaction=True)
def test_the_national_admin_starts_a_job_and_follows_it_to_its_result(client, national):
    page = client.get("/admin/trabajos/").content.decode()
    assert "Exportar archivos masivos" in page and "Sincronizar registros de la PDN" in page

    response = client.post("/admin/trabajos/nuevo/exportar_bulk/", {"years": ""})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/trabajos/{job.pk}/"
    assert (job.requested_by, job.origin) == (national, Job.Origin.ADMIN)
    job = wait_for_thread(job.pk)
    assert job.status == Job.Status.DONE
    detail = client.get(f"/admin/trabajos/{job.pk}/").content.decode()
    assert "Terminado" in detail
    assert "No hay datos publicados; no se generó ningún archivo." in detail
    assert '<progress max="100" value="100"' in detail
    status = client.get(f"/admin/trabajos/{job.pk}/estado/").json()
    assert status == {
        "status": "done",
        "status_label": "Terminado",
        "done": 0,
        "total": 0,
        "percent": 100,
        "note": "",
        "finished": True,
    }


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_file_is_kept_for_the_worker_and_imported(client, national, settings):
    source = FIXTURES / "fictional" / "ocds-213czf-000-00001.json"
    upload = SimpleUploadedFile("proceso.json", source.read_bytes())

    client.post("/admin/trabajos/nuevo/importar_ocds/", {"files": upload})

    job = wait_for_thread(Job.objects.get().pk)
    stored = job.parameters["files"]
    assert stored.startswith(str(settings.JOBS_FILES_DIR)) and stored.endswith("proceso.json")
    assert job.result["without_entity"] == 6
    assert "Sin ente: 6" in client.get(f"/admin/trabajos/{job.pk}/").content.decode()


def test_invalid_parameters_are_shown_in_spanish_and_start_nothing(client, national):
    response = client.post("/admin/trabajos/nuevo/exportar_bulk/", {"years": "dos mil"})

    assert response.status_code == 200
    assert "Escriba años de cuatro cifras separados por comas." in response.content.decode()
    assert not Job.objects.exists()


def test_an_entity_admin_sees_only_their_entitys_jobs_and_starts_only_entity_jobs(client):
    mine, other = make_entity("MIO"), make_entity("OTRO")
    client.force_login(make_member(Role.ADMIN_ENTE, mine))
    own = Job.objects.create(kind="calcular_indicadores", entity=mine)
    foreign = Job.objects.create(kind="calcular_indicadores", entity=other)
    national_job = Job.objects.create(kind="exportar_bulk")

    page = client.get("/admin/trabajos/").content.decode()

    assert f"/admin/trabajos/{own.pk}/" in page
    assert f"/admin/trabajos/{foreign.pk}/" not in page
    assert f"/admin/trabajos/{national_job.pk}/" not in page
    assert "/admin/trabajos/nuevo/calcular_indicadores/" in page
    assert "/admin/trabajos/nuevo/exportar_bulk/" not in page
    assert client.get(f"/admin/trabajos/{foreign.pk}/").status_code == 404
    assert client.get(f"/admin/trabajos/{foreign.pk}/estado/").status_code == 404
    assert client.get("/admin/trabajos/nuevo/exportar_bulk/").status_code == 404
    # Another entity is not among the choices: choosing it is refused and starts nothing.
    response = client.post("/admin/trabajos/nuevo/calcular_indicadores/", {"entity": other.pk})
    assert response.status_code == 200
    assert Job.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_an_entity_admin_recomputes_the_indicators_of_their_entity(client):
    mine = make_entity("MIO")
    admin = make_member(Role.ADMIN_ENTE, mine)
    client.force_login(admin)

    response = client.post("/admin/trabajos/nuevo/calcular_indicadores/", {"entity": mine.pk})

    assert response.status_code == 302
    job = wait_for_thread(Job.objects.get().pk)
    assert (job.entity, job.requested_by, job.status) == (mine, admin, Job.Status.DONE)
    assert job.summary.startswith("Procesos evaluados: 0")
    assert job.result["processes"] == 0


@pytest.mark.django_db(transaction=True)
def test_the_recompute_job_can_compare_everything_and_rebuild_every_aggregate(client):
    """The job's checkbox is the command's ``--rehacer-agregados``: it reaches the run."""
    mine = make_entity("MIO")
    client.force_login(make_member(Role.ADMIN_ENTE, mine))
    page = client.get("/admin/trabajos/nuevo/calcular_indicadores/").content.decode()
    assert "Comparar todo y rehacer todos los agregados" in page

    response = client.post(
        "/admin/trabajos/nuevo/calcular_indicadores/",
        {"entity": mine.pk, "rehacer_agregados": "on"},
    )

    assert response.status_code == 302
    job = wait_for_thread(Job.objects.get().pk)
    assert job.parameters["rehacer_agregados"] is True
    assert job.status == Job.Status.DONE


def test_people_without_an_admin_role_do_not_see_jobs(client):
    client.force_login(make_member(Role.CAPTURISTA, make_entity()))

    assert client.get("/admin/trabajos/").status_code == 404
    assert "/admin/trabajos/" not in client.get("/admin/").content.decode()


def test_the_national_admin_schedules_a_job_with_its_parameters(client, national):
    crontab = CrontabSchedule.objects.create(minute="0", hour="3", timezone="America/Mexico_City")
    form = {
        "name": "Sincronización nocturna de S1",
        "task": "compra.sincronizar_registros",
        "crontab": crontab.pk,
        "interval": "",
        "kwargs": '{"parameters": {"system": "S1"}}',
        "enabled": "on",
        "description": "",
    }

    response = client.post("/admin/django_celery_beat/periodictask/create/", form)

    assert response.status_code == 302, response.content.decode()[-3000:]
    task = PeriodicTask.objects.get()
    assert (task.task, task.crontab, task.kwargs) == (
        "compra.sincronizar_registros",
        crontab,
        '{"parameters": {"system": "S1"}}',
    )


def test_a_schedule_names_a_registered_job_and_valid_parameters(client, national):
    crontab = CrontabSchedule.objects.create(minute="0", hour="3")
    form = {
        "name": "Mal",
        "task": "os.system",
        "crontab": crontab.pk,
        "kwargs": '{"x": 1}',
        "enabled": "on",
    }

    html = client.post("/admin/django_celery_beat/periodictask/create/", form).content.decode()

    assert "os.system" in html  # quoted back in the «not a valid choice» error
    assert "Escriba un objeto con la llave" in html
    assert not PeriodicTask.objects.exists()


def test_schedules_are_for_the_national_admin_only(client):
    client.force_login(make_member(Role.ADMIN_ENTE, make_entity()))

    response = client.get("/admin/django_celery_beat/periodictask/")

    assert response.status_code in (302, 403)
