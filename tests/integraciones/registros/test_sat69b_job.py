"""The 69-B import as a long job (integraciones/jobs.py): started from «Trabajos» with an uploaded
file or from ``importar_69b``, it counts taxpayers on its progress bar and keeps its summary."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cms.models import Job
from integraciones.models import Sat69bTaxpayer
from tests.factories import make_entity, make_member, make_user
from tests.integraciones.registros.test_sat69b import listing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.JOBS_PROGRESS_SECONDS = 0
    settings.JOBS_FILES_DIR = tmp_path / "trabajos"


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
def test_the_national_admin_imports_an_uploaded_list_and_reads_its_summary(client, national):
    assert "Importar la lista 69-B del SAT" in client.get("/admin/trabajos/").content.decode()
    upload = SimpleUploadedFile("Listado_Completo_69-B.csv", listing(), "text/csv")

    response = client.post("/admin/trabajos/nuevo/importar_69b/", {"file": upload, "url": ""})

    job = wait_for_thread(Job.objects.get(kind="importar_69b").pk)
    assert response["Location"] == f"/admin/trabajos/{job.pk}/"
    assert (job.status, job.origin, job.requested_by) == (Job.Status.DONE, "admin", national)
    # The bar counted the four taxpayers of the file.
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert job.result["rows"] == 4 and job.result["events"] == 8
    assert Sat69bTaxpayer.objects.count() == 4
    detail = client.get(f"/admin/trabajos/{job.pk}/").content.decode()
    head = "Listado 69-B importado: 4 contribuyentes (4 nuevos, 0 actualizados, 0 sin cambios)"
    assert head in detail
    assert "definitivo: " in detail


def test_the_form_asks_for_the_file_or_its_address_in_spanish(client, national):
    response = client.post("/admin/trabajos/nuevo/importar_69b/", {"url": ""})

    assert response.status_code == 200
    assert "Suba el archivo o escriba su dirección (una de las dos)." in response.content.decode()
    assert not Job.objects.exists()


def test_an_entity_admin_cannot_start_it(client):
    client.force_login(make_member("admin_ente", make_entity("SAT69")))

    assert "Importar la lista 69-B" not in client.get("/admin/trabajos/").content.decode()
    assert client.get("/admin/trabajos/nuevo/importar_69b/").status_code == 404


def test_the_command_runs_the_job_and_records_it(tmp_path, capsys):
    path = tmp_path / "Listado_Completo_69-B.csv"
    path.write_bytes(listing())

    call_command("importar_69b", str(path))

    job = Job.objects.get(kind="importar_69b")
    assert (job.status, job.origin, job.parameters) == ("done", "command", {"source": str(path)})
    assert (job.progress_done, job.progress_total) == (4, 4)
    assert job.summary in capsys.readouterr().out


def test_a_refused_file_fails_the_job_with_the_reason(tmp_path):
    path = tmp_path / "otro.csv"
    path.write_bytes("a,b\r\n1,2\r\n".encode("cp1252"))

    with pytest.raises(CommandError, match="columna RFC"):
        call_command("importar_69b", str(path))

    job = Job.objects.get(kind="importar_69b")
    assert job.status == Job.Status.FAILED
    assert job.error_message.startswith("No se pudo importar el listado 69-B:")
    assert not Sat69bTaxpayer.objects.exists()
