"""``manage.py ejecutar_trabajo TIPO``: run a registered long job here, or queue it for a worker.

The job is recorded on a ``cms.Job`` row exactly as when it is started from the admin, so its
progress and summary show there too (cms/jobs.py).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms import jobs
from cms.models import Entity, Job


class Command(BaseCommand):
    help = _(
        "Ejecuta un trabajo largo (sincronizar registros, exportar, importar, recalcular…) y lo "
        "registra en «Trabajos»; con --en-cola lo deja a un trabajador de Celery."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help=_("Tipo de trabajo (vea --lista)."))
        parser.add_argument(
            "--parametros",
            default="{}",
            help=_("Parámetros en JSON, p. ej. '{\"years\": [2024]}'."),
        )
        parser.add_argument("--ente", help=_("Clave del ente, para los trabajos de un ente."))
        parser.add_argument(
            "--en-cola",
            action="store_true",
            dest="queue",
            help=_("Dejarlo en la cola para un trabajador (requiere CELERY_BROKER_URL)."),
        )
        parser.add_argument(
            "--lista", action="store_true", dest="list", help=_("Listar los tipos de trabajo.")
        )

    def handle(self, *args, kind=None, parametros="{}", ente=None, queue=False, **options):
        if options["list"] or not kind:
            for item in jobs.kinds():
                self.stdout.write(f"{item.key}\t{item.label} — {item.description}")
            return
        try:
            job = jobs.create_job(
                kind,
                self._parameters(parametros),
                entity=self._entity(ente),
                origin=Job.Origin.COMMAND,
            )
        except jobs.JobError as exc:
            raise CommandError(str(exc)) from exc
        if queue:
            if not jobs.broker_configured():
                raise CommandError(_("No hay cola configurada (CELERY_BROKER_URL o REDIS_URL)."))
            jobs.dispatch(job)
            self.stdout.write(_("Trabajo %(id)s en la cola.") % {"id": job.pk})
            return
        job = jobs.execute(job.pk)
        self.stdout.write(job.summary)
        if job.status == Job.Status.FAILED:
            raise CommandError(job.error_message)
        self.stdout.write(self.style.SUCCESS(_("Trabajo %(id)s terminado.") % {"id": job.pk}))

    @staticmethod
    def _parameters(text):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("--parametros no es JSON válido: %(error)s") % {"error": exc}
            ) from exc
        if not isinstance(value, dict):
            raise CommandError(_("--parametros debe ser un objeto JSON."))
        return value

    @staticmethod
    def _entity(key):
        if not key:
            return None
        try:
            return Entity.objects.get(key=key)
        except Entity.DoesNotExist as exc:
            raise CommandError(_("No existe el ente con clave «%(key)s».") % {"key": key}) from exc
