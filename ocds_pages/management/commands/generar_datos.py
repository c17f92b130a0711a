"""``manage.py generar_datos``: synthetic entities and processes at national scale."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from ocds_pages.generator import current_serials, ensure_entities, generate, store_batch


class Command(BaseCommand):
    help = _(
        "Genera entes y procesos de contratación sintéticos (entregas, registros y tablas de "
        "consulta), reproducibles para una semilla."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entes", type=int, required=True, help=_("Número de entes."))
        parser.add_argument("--procesos", type=int, required=True, help=_("Número de procesos."))
        parser.add_argument("--semilla", type=int, default=1, help=_("Semilla aleatoria."))
        parser.add_argument("--lote", type=int, default=500, help=_("Procesos por transacción."))
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(self, *args, entes, procesos, semilla, lote, no_progress=False, **options):
        if entes < 1 or procesos < 1 or lote < 1:
            raise CommandError(_("--entes, --procesos y --lote deben ser mayores que cero."))
        started = time.perf_counter()
        pairs = ensure_entities(entes)
        processes = generate(
            pairs=pairs, processes=procesos, seed=semilla, first_serials=current_serials(pairs)
        )
        releases, batch = 0, []
        with tqdm(
            total=procesos, desc=_("Procesos"), unit=_("procesos"), disable=no_progress
        ) as bar:
            for process in processes:
                batch.append(process)
                if len(batch) == lote:
                    releases += store_batch(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                releases += store_batch(batch)
                bar.update(len(batch))
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "Procesos: %(processes)s; entregas: %(releases)s; %(seconds).1f s; "
                "%(rate).1f procesos/s"
            )
            % {
                "processes": procesos,
                "releases": releases,
                "seconds": seconds,
                "rate": procesos / seconds if seconds else 0,
            }
        )
