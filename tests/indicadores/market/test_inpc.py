"""The national administrator loads INEGI's INPC from «Trabajos»: the file is checked before any
job starts (Spanish errors, the previous table kept), and a valid one replaces the table."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cms.jobs import execute
from cms.models import Job
from cms.roles import Role
from indicadores.market.inflation import Adjuster
from indicadores.market.models import InflationIndex
from tests.factories import make_member, make_user
from tests.ocds_pages.factories import make_entity

pytestmark = pytest.mark.django_db

START = "/admin/trabajos/nuevo/importar_inpc/"

# The layout of the BIE export (Banco de Información Económica): title and base lines, the
# header, one row per month «AAAA/MM,índice», the source note; Latin-1, as INEGI publishes it.
BIE = (
    "Índice nacional de precios al consumidor\r\n"
    '"Índice general, Base segunda quincena de julio 2018=100"\r\n'
    'Periodos,"Índice general"\r\n'
    "2024/01,134.071\r\n"
    "2024/02,134.444\r\n"
    "2024/03,134.980\r\n"
    "2024/04,134.851\r\n"
    '"Fuente: INEGI. Índice Nacional de Precios al Consumidor."\r\n'
).encode("latin-1")


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.JOBS_PROGRESS_SECONDS = 0
    settings.JOBS_FILES_DIR = tmp_path / "trabajos"


@pytest.fixture
def national(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))


@pytest.fixture
def previous():
    """A table loaded before: it must survive every refused file."""
    InflationIndex.objects.create(year=2023, month=12, value=Decimal("133.555"), source="viejo.csv")


def upload(client, content: bytes, name="inpc.csv"):
    return client.post(START, {"archivo": SimpleUploadedFile(name, content, "text/csv")})


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"Titulo\nsin datos\n", "El archivo no tiene ningún mes reconocible"),
        (
            b"2024/01,134.071\n2024/04,134.851\n",
            "Faltan meses entre 2024-01 y 2024-04 (2): 2024-02, 2024-03.",
        ),
        (
            b"2024/01,134.071\n2024/01,135\n",
            "El mes 2024-01 aparece dos veces con valores distintos.",
        ),
        (b"1950/01,1\n1950/02,1\n", "El mes 1950-01 está fuera de la serie del INPC"),
    ],
)
def test_an_invalid_file_is_refused_in_spanish_and_the_table_is_kept(
    client, national, previous, content, error
):
    response = upload(client, content)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Job.objects.exists()
    assert list(InflationIndex.objects.values_list("year", "month", "source")) == [
        (2023, 12, "viejo.csv")
    ]


def test_a_valid_bie_file_replaces_the_table_through_a_job(
    client, national, previous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the test runs the job itself
        response = upload(client, BIE, "INPC_BIE.csv")

    job = Job.objects.get(kind="importar_inpc")
    assert response.status_code == 302 and response["Location"] == f"/admin/trabajos/{job.pk}/"
    job = execute(job.pk)
    assert job.status == Job.Status.DONE, job.error_message
    assert job.result == {"months": 4, "first": "2024-01", "last": "2024-04", "replaced": 1}
    assert "INPC: 4 meses cargados, de 2024-01 a 2024-04" in job.summary
    stored = list(InflationIndex.objects.values_list("year", "month", "value", "source"))
    assert stored == [
        (2024, 1, Decimal("134.0710"), "INPC_BIE.csv"),
        (2024, 2, Decimal("134.4440"), "INPC_BIE.csv"),
        (2024, 3, Decimal("134.9800"), "INPC_BIE.csv"),
        (2024, 4, Decimal("134.8510"), "INPC_BIE.csv"),
    ]
    # A January 2024 price of 100 taken to April 2024: 100 × 134.851 / 134.071.
    price, adjusted = Adjuster.current().adjust(Decimal(100), date(2024, 1, 15))
    assert adjusted and price.quantize(Decimal("0.0001")) == Decimal("100.5818")


def test_a_file_that_became_invalid_fails_the_job_and_keeps_the_table(
    client, national, previous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload(client, BIE)
    job = Job.objects.get(kind="importar_inpc")
    with open(job.parameters["archivo"], "wb") as stored:
        stored.write(b"2024/01,134.071\n2024/03,134.980\n")

    job = execute(job.pk)

    assert job.status == Job.Status.FAILED
    assert "Faltan meses entre 2024-01 y 2024-03 (1): 2024-02." in job.error_message
    assert InflationIndex.objects.get().source == "viejo.csv"


def test_only_the_national_administrator_loads_the_inpc(client):
    entity = make_entity()
    client.force_login(make_member(Role.ADMIN_ENTE, entity))
    assert client.get(START).status_code == 404


def test_the_command_checks_the_file_the_same_way(tmp_path, previous):
    bad = tmp_path / "inpc.csv"
    bad.write_bytes(b"2024/01,134.071\n2024/04,134.851\n")
    with pytest.raises(CommandError, match="Faltan meses"):
        call_command("importar_inpc", str(bad))
    assert InflationIndex.objects.get().source == "viejo.csv"
    good = tmp_path / "INPC_BIE.csv"
    good.write_bytes(BIE)
    call_command("importar_inpc", str(good))
    assert InflationIndex.objects.count() == 4
