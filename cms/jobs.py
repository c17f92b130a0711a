"""Long jobs: a registry of kinds, one Celery task per kind, and the run that records a Job row.

Each app declares its long jobs (``<app>/jobs.py``, imported from its ``AppConfig.ready()``) with
:func:`register`; ``cms`` never names them (docs/arquitectura.md §4). A job is started from the
admin, from ``manage.py ejecutar_trabajo`` or from a periodic schedule (django-celery-beat) and
always runs through :func:`execute`, which moves the ``cms.Job`` row from *pending* to *done* or
*failed* and keeps its progress, summary and errors.

Where it runs depends on the installation (docs/instalacion.md, «Trabajos en segundo plano»):

* with a broker (``CELERY_BROKER_URL`` or ``REDIS_URL``), on a Celery worker — another process,
  perhaps another host — through the kind's task ``compra.<key>``;
* without one (``make run`` on SQLite, nothing else installed), in a thread of the process that
  started it: the web request still answers at once, and a command simply runs it in place.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import Job

logger = logging.getLogger(__name__)

NATIONAL = "national"  # only the national administrator starts it; it touches the whole install
# An entity administrator starts it for their entity; the national one for any entity, or for
# the whole installation (no entity).
ENTITY = "entity"

TASK_PREFIX = "compra."


class JobError(Exception):
    """A job that cannot go on, with a message in Spanish for the person who started it."""


@dataclass
class JobOutcome:
    """What a job's runner returns: a summary to read, figures to keep, and non-fatal errors.

    A runner that reports errors ends as *failed* with its summary kept (e.g. one registry
    provider of three did not answer); an exception ends it as *failed* with nothing else.
    """

    summary: str
    result: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class JobProgress:
    """The runner's handle on its row: totals, advances and a note, written at most once a second.

    ``advance`` has tqdm's ``update`` signature, so the same progress callbacks the management
    commands pass to tqdm can be pointed at a job. The writes go through a connection of their
    own: the runner's connection may be in the middle of a ``COPY`` (ocds_pages/bulk.py streams
    the export that way; a second statement on it waits for the copy forever) or of a long
    transaction (whose writes nobody sees until it commits). SQLite allows one writer at a time,
    so there the runner's own connection is used.
    """

    def __init__(self, job: Job):
        self.job = job
        self.done = 0
        self.total: int | None = None
        self.note_text = ""
        self.interval = float(getattr(settings, "JOBS_PROGRESS_SECONDS", 1.0))
        self._written_at = 0.0
        self._connection = None

    def set_total(self, total: int | None) -> None:
        self.total = total
        self.flush(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.flush()

    def note(self, text: str) -> None:
        self.note_text = str(text)[:200]
        self.flush(force=True)

    def flush(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < self.interval:
            return
        self._written_at = now
        table = Job._meta.db_table
        with self._writer().cursor() as cursor:
            cursor.execute(
                # Table and column names come from the model, never from input.
                f"UPDATE {table} SET progress_done = %s, progress_total = %s, "  # noqa: S608
                "progress_note = %s WHERE id = %s",
                [self.done, self.total, self.note_text, self.job.pk],
            )

    def _writer(self):
        if connection.vendor == "sqlite":
            return connection
        if self._connection is None:
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


Runner = Callable[[Job, JobProgress], JobOutcome]


@dataclass(frozen=True)
class JobKind:
    """A long job an app offers: how to run it and how the admin asks for its parameters.

    ``form_class`` is a Django form whose cleaned data are the job's parameters (uploaded files
    are stored under ``JOBS_FILES_DIR`` and replaced by their path); ``command`` names the
    management command that does the same work by hand, for the manuals.
    """

    key: str
    label: str
    description: str
    run: Runner
    form_class: type | None = None
    scope: str = NATIONAL
    command: str = ""

    @property
    def task_name(self) -> str:
        return f"{TASK_PREFIX}{self.key}"


_kinds: dict[str, JobKind] = {}
_tasks: dict[str, object] = {}


def register(kind: JobKind) -> JobKind:
    """Declare a job kind and its Celery task (idempotent: ``ready()`` may run more than once)."""
    _kinds[kind.key] = kind
    if kind.key not in _tasks:
        _tasks[kind.key] = _make_task(kind.key, kind.task_name)
    return kind


def unregister(key: str) -> None:
    """Forget a kind (its task stays known to Celery, and fails cleanly as an unknown kind)."""
    _kinds.pop(key, None)


def kinds() -> list[JobKind]:
    return sorted(_kinds.values(), key=lambda kind: str(kind.label))


def get_kind(key: str) -> JobKind:
    try:
        return _kinds[key]
    except KeyError as exc:
        raise JobError(_("No existe el tipo de trabajo «%(key)s».") % {"key": key}) from exc


def task_for(key: str):
    get_kind(key)
    return _tasks[key]


def _make_task(key: str, name: str):
    def run_job(job_id: int | None = None, parameters: dict | None = None, entity_id=None):
        # A periodic schedule (django-celery-beat) sends only the parameters: the row is made here.
        if job_id is None:
            job_id = create_job(
                key, parameters or {}, origin=Job.Origin.SCHEDULE, entity_id=entity_id
            ).pk
        execute(job_id)

    run_job.__name__ = run_job.__qualname__ = f"run_{key}"
    run_job.__module__ = __name__
    return shared_task(name=name, ignore_result=True)(run_job)


def broker_configured() -> bool:
    return bool(getattr(settings, "CELERY_BROKER_URL", ""))


def create_job(key, parameters, *, user=None, entity=None, entity_id=None, origin=Job.Origin.ADMIN):
    kind = get_kind(key)
    entity_id = entity.pk if entity is not None else entity_id
    if kind.scope != ENTITY and entity_id is not None:
        raise JobError(_("Este trabajo es de toda la instalación; no se hace por ente."))
    return Job.objects.create(
        kind=key,
        parameters=parameters,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        entity_id=entity_id,
        origin=origin,
    )


def start(job: Job) -> None:
    """Hand the job over once its row is committed: to the broker, or to a thread of this process.

    Never runs it in the caller's thread, so a web request answers at once either way.
    """
    transaction.on_commit(lambda: dispatch(job), robust=True)


def dispatch(job: Job) -> threading.Thread | None:
    if broker_configured():
        result = task_for(job.kind).apply_async(kwargs={"job_id": job.pk})
        Job.objects.filter(pk=job.pk).update(task_id=result.id)
        return None
    thread = threading.Thread(
        target=_run_in_thread, args=(job.pk,), name=f"trabajo-{job.pk}", daemon=True
    )
    thread.start()
    return thread


def _run_in_thread(job_id: int) -> None:
    try:
        execute(job_id)
    finally:
        connection.close()  # the thread's own connection; the web process's are untouched


def execute(job_id: int) -> Job:
    """Run a pending job to its end and record the outcome; a job never runs twice.

    The claim is a conditional UPDATE, so a message the broker delivers again (or a second
    worker) finds the row no longer pending and leaves it alone.
    """
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        logger.info("Trabajo %s ya no estaba en espera (%s); no se repite.", job_id, job.status)
        return job
    progress = JobProgress(job)
    try:
        outcome = get_kind(job.kind).run(job, progress)
    except JobError as exc:
        return _finish(job, progress, status=Job.Status.FAILED, error=str(exc))
    except Exception as exc:
        logger.exception("El trabajo %s (%s) falló", job.pk, job.kind)
        error = _("Error inesperado (%(type)s): %(error)s") % {
            "type": type(exc).__name__,
            "error": exc,
        }
        return _finish(job, progress, status=Job.Status.FAILED, error=error)
    status = Job.Status.FAILED if outcome.errors else Job.Status.DONE
    return _finish(
        job,
        progress,
        status=status,
        summary=outcome.summary,
        result=outcome.result,
        error="\n".join(outcome.errors),
    )


def _finish(job, progress, *, status, summary="", result=None, error=""):
    progress.close()
    job.status = status
    job.finished_at = timezone.now()
    job.summary = summary
    job.result = result or {}
    job.error_message = error
    job.progress_done = progress.done
    job.progress_total = progress.total
    job.progress_note = ""
    job.save(
        update_fields=[
            "status",
            "finished_at",
            "summary",
            "result",
            "error_message",
            "progress_done",
            "progress_total",
            "progress_note",
        ]
    )
    return job


def store_upload(upload) -> str:
    """Keep an uploaded file where every job worker can read it; returns its path.

    With workers on other hosts, ``JOBS_FILES_DIR`` must be shared storage (docs/instalacion.md).
    """
    base = Path(getattr(settings, "JOBS_FILES_DIR", "") or "")
    if not str(base):
        raise ImproperlyConfigured("JOBS_FILES_DIR no está configurado.")
    folder = base / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(upload.name).name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(path)
