"""``manage.py generar_datos``: synthetic entities and processes at national scale.

The releases are built by the workflows' publication code (devtools.generator); only the
insertion is bulk (ocds_pages.bulk_publication, fed by devtools.generator_storage).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from devtools.generator import current_serials, ensure_entities, planned
from devtools.generator_storage import built, default_workers
from ocds_pages.bulk_publication import store_processes


class Command(BaseCommand):
    help = _(
        "Genera entes y procesos de contratación sintéticos (entregas, registros y tablas de "
        "consulta) con el mismo código que publica desde los flujos de trabajo; reproducibles "
        "para una semilla."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entes", type=int, required=True, help=_("Número de entes."))
        parser.add_argument("--procesos", type=int, required=True, help=_("Número de procesos."))
        parser.add_argument("--semilla", type=int, default=1, help=_("Semilla aleatoria."))
        parser.add_argument("--lote", type=int, default=500, help=_("Procesos por transacción."))
        parser.add_argument(
            "--trabajadores",
            type=int,
            default=default_workers(),
            help=_(
                "Procesos del sistema operativo que construyen las entregas (por omisión, uno "
                "por núcleo). El resultado no depende de este número."
            ),
        )
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(
        self, *args, entes, procesos, semilla, lote, trabajadores, no_progress=False, **options
    ):
        if entes < 1 or procesos < 1 or lote < 1 or trabajadores < 1:
            raise CommandError(
                _("--entes, --procesos, --lote y --trabajadores deben ser mayores que cero.")
            )
        started = time.perf_counter()
        pairs = ensure_entities(entes)
        plans = planned(
            pairs=pairs, processes=procesos, seed=semilla, first_serials=current_serials(pairs)
        )
        releases = 0
        with tqdm(
            total=procesos, desc=_("Procesos"), unit=_("procesos"), disable=no_progress
        ) as bar:
            for rows in built(plans, batch=lote, workers=trabajadores):
                releases += store_processes(rows)
                bar.update(len(rows))
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "Procesos: %(processes)s; entregas: %(releases)s; %(seconds).1f s; "
                "%(rate).1f procesos/s; %(release_rate).1f entregas/s"
            )
            % {
                "processes": procesos,
                "releases": releases,
                "seconds": seconds,
                "rate": procesos / seconds if seconds else 0,
                "release_rate": releases / seconds if seconds else 0,
            }
        )
