"""Import SAT's article 69-B list (Listado_Completo_69-B.csv) from a file or a URL.

It runs the job «Importar la lista 69-B del SAT» (integraciones/jobs.py) here, so the run is
recorded in «Trabajos» with its progress and summary as when it is started from the admin; with
``--en-cola`` a Celery worker runs it.
"""

import argparse

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms import jobs
from cms.models import Job


class Command(BaseCommand):
    help = _(
        "Importa el listado completo del artículo 69-B del SAT (CSV en Windows-1252) desde un "
        "archivo o una URL; volver a importar el mismo archivo no cambia nada. Queda registrado "
        "en «Trabajos»."
    )

    def add_arguments(self, parser):
        parser.add_argument("origen", help=_("Ruta del CSV o URL http(s) de donde descargarlo."))
        parser.add_argument(
            "--en-cola",
            action="store_true",
            dest="queue",
            help=_("Dejarlo en la cola para un trabajador (requiere CELERY_BROKER_URL)."),
        )
        # The progress bar is now the job's (in «Trabajos»); the flag stays so scripts that pass
        # it keep working.
        parser.add_argument("--sin-progreso", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, origen, queue=False, **options):
        job = jobs.create_job("importar_69b", {"source": origen}, origin=Job.Origin.COMMAND)
        if queue:
            if not jobs.broker_configured():
                raise CommandError(_("No hay cola configurada (CELERY_BROKER_URL o REDIS_URL)."))
            jobs.dispatch(job)
            self.stdout.write(_("Trabajo %(id)s en la cola.") % {"id": job.pk})
            return
        job = jobs.execute(job.pk)
        if job.status == Job.Status.FAILED:
            raise CommandError(job.error_message)
        self.stdout.write(self.style.SUCCESS(job.summary))
