"""Long jobs on a real Celery worker: a separate ``celery -A cms worker`` process fed through Redis.

The worker is started once per module against Redis at 127.0.0.1:6379 (database ``TEST_REDIS_DB``,
13 unless told) on a queue of its own, so parallel runs never take each other's jobs; it reads the
test database itself (a file on SQLite, see tests/settings.py; the test database on PostgreSQL),
which is why these tests commit (``transaction=True``). Without Redis they are skipped.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from cms import celery_app, jobs
from cms.models import Job
from tests.ocds_pages.factories import make_entity
from tests.publishing import publish_process

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "13"))
BROKER_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
WAIT_SECONDS = 120


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(
        not redis_answers(),
        reason=f"Redis no responde en {REDIS_HOST}:{REDIS_PORT}: sin cola no hay trabajador que "
        "probar (CI sí tiene Redis).",
    ),
    pytest.mark.django_db(transaction=True),
]


def database_url(params: dict) -> str:
    """The URL of the database this test process uses, for the worker's DATABASE_URL."""
    if params["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{params['NAME']}"
    credentials = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{params['NAME']}"


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A Celery worker process on its own queue, sharing the test database and a bulk folder."""
    with django_db_blocker.unblock():
        db_url = database_url(connection.settings_dict)
    queue = f"compra-prueba-{uuid.uuid4().hex[:12]}"
    bulk_dir = tmp_path_factory.mktemp("bulk-trabajador")
    log_path = tmp_path_factory.mktemp("trabajador") / "celery.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": db_url,
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_QUEUE": queue,
        "OCDS_BULK_DIR": str(bulk_dir),
        "JOBS_PROGRESS_SECONDS": "0",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cms",
        "worker",
        "--queues",
        queue,
        "--concurrency",
        "1",
        "--hostname",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "INFO",
        "--logfile",
        str(log_path),
    ]
    process = subprocess.Popen(
        command,
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_ready(process, log_path)
        previous = dict(celery_app.conf.items())
        celery_app.conf.update(broker_url=BROKER_URL, task_default_queue=queue)
        yield {"queue": queue, "bulk_dir": bulk_dir, "log": log_path}
        celery_app.conf.update(
            broker_url=previous["broker_url"], task_default_queue=previous["task_default_queue"]
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_ready(process, log_path: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"El trabajador de Celery terminó al arrancar:\n{read(log_path)}")
        if " ready." in read(log_path):
            return
        time.sleep(0.5)
    raise RuntimeError(f"El trabajador de Celery no quedó listo:\n{read(log_path)}")


def read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture
def queued(worker, settings):
    """cms.jobs sees a broker, as in production: jobs go to the worker's queue."""
    settings.CELERY_BROKER_URL = BROKER_URL
    return worker


def wait_for(job_id: int) -> Job:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.finished:
            return job
        time.sleep(0.3)
    raise AssertionError(f"El trabajo {job_id} no terminó: {Job.objects.get(pk=job_id).status}")


def test_export_runs_on_the_worker_with_progress_and_a_summary(queued):
    entity = make_entity()
    for _ in range(3):
        publish_process(entity, year=2025)
    job = jobs.create_job("exportar_bulk", {"years": [2025]})

    jobs.start(job)  # the test commits on every statement: on_commit hands it over at once

    job = wait_for(job.pk)
    assert job.status == Job.Status.DONE, job.error_message
    assert job.task_id  # it went through the broker, not a thread of this process
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    assert job.progress_total == job.progress_done > 0
    assert job.percent == 100
    assert job.summary.startswith("2025: 3 procesos, 6 entregas")
    assert job.result["years"][0]["records"] == 3
    for name in job.result["years"][0]["files"]:  # written by the worker where it was told
        assert (queued["bulk_dir"] / name).stat().st_size > 0


def test_a_failing_job_ends_failed_with_its_spanish_reason(queued):
    job = jobs.create_job("exportar_bulk", {"years": [1990]})

    jobs.start(job)

    job = wait_for(job.pk)
    assert job.status == Job.Status.FAILED
    assert job.error_message == "No hay datos publicados del año 1990."
    assert job.summary == ""


def test_a_scheduled_run_records_its_own_job_row(queued):
    """django-celery-beat sends only the task name and its parameters; the worker makes the row."""
    before = set(Job.objects.values_list("pk", flat=True))

    celery_app.send_task("compra.exportar_bulk", kwargs={"parameters": {}})

    deadline = time.monotonic() + WAIT_SECONDS
    while not (new := Job.objects.exclude(pk__in=before)).exists():
        assert time.monotonic() < deadline, read(queued["log"])
        time.sleep(0.3)
    job = wait_for(new.get().pk)
    assert job.origin == Job.Origin.SCHEDULE
    assert job.requested_by is None
    assert job.status == Job.Status.DONE
    assert job.summary == "No hay datos publicados; no se generó ningún archivo."
