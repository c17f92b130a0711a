"""``manage.py reconstruir_proyecciones``: rebuild the query projections from the records."""

import orjson
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from ocds_pages.models import ProcessProjection, Record
from ocds_pages.projections import project_record

BATCH = 500


class Command(BaseCommand):
    help = _(
        "Reconstruye las tablas de consulta (procesos, proveedores, partidas) a partir de la "
        "entrega compilada de cada registro, por lotes y con memoria constante."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(self, *args, no_progress=False, **options):
        total = Record.objects.count()
        # Rows whose record is gone cannot exist (CASCADE); stale rows are replaced one by one.
        rebuilt, last_pk = 0, 0
        with tqdm(
            total=total, desc=_("Proyecciones"), unit=_("procesos"), disable=no_progress
        ) as bar:
            while True:
                batch = list(Record.objects.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
                if not batch:
                    break
                self.rebuild(batch)
                rebuilt += len(batch)
                last_pk = batch[-1].pk
                bar.update(len(batch))
        self.stdout.write(
            _("Procesos proyectados: %(count)s (filas de proceso: %(rows)s)")
            % {"count": rebuilt, "rows": ProcessProjection.objects.count()}
        )

    @staticmethod
    def rebuild(batch: list[Record]) -> None:
        with transaction.atomic():
            for record in batch:
                project_record(record=record, compiled=orjson.loads(record.compiled_release))
