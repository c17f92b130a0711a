"""``manage.py calcular_indicadores``: evaluate every indicator over the published records."""

import gc
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.models import Entity
from indicadores.engine.core import indicators
from indicadores.recompute import PART_SIZE, Options, default_workers, recompute


class Command(BaseCommand):
    help = _(
        "Calcula los indicadores de integridad de todos los procesos publicados, por lotes, y "
        "avisa al sistema de alertas de los resultados de cada proceso. Al terminar muestra, "
        "por indicador, los procesos elegibles, los señalados y la proporción."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ente",
            action="append",
            default=[],
            dest="entities",
            metavar="CLAVE",
            help=_("Sólo los procesos de este ente (clave); se puede repetir."),
        )
        parser.add_argument(
            "--indicador",
            action="append",
            default=[],
            dest="codes",
            metavar="CÓDIGO",
            help=_("Sólo este indicador (p. ej. MX-SANC); se puede repetir."),
        )
        parser.add_argument(
            "--sin-alertas",
            action="store_true",
            dest="dry_run",
            help=_("Sólo calcular y resumir: no avisar al sistema de alertas."),
        )
        parser.add_argument(
            "--lote",
            type=int,
            default=None,
            dest="batch",
            help=_("Procesos por lote de consultas a los registros (por omisión, 500)."),
        )
        parser.add_argument(
            "--sin-estadisticas",
            action="store_true",
            dest="keep_statistics",
            help=_(
                "No recalcular antes las estadísticas del conjunto (cuartiles y vallas de R024, "
                "R058 y R038): usar las guardadas."
            ),
        )
        parser.add_argument(
            "--trabajadores",
            type=int,
            default=default_workers(),
            dest="workers",
            help=_(
                "Procesos del sistema operativo que evalúan partes del conjunto (por omisión, "
                "uno por núcleo). El resultado no depende de este número."
            ),
        )
        parser.add_argument(
            "--tamano-parte",
            type=int,
            default=PART_SIZE,
            dest="part_size",
            help=_(
                "Procesos de contratación que toma cada trabajador a la vez (%(default)s por "
                "omisión). El resultado no depende de este número."
            ),
        )
        parser.add_argument(
            "--rehacer-agregados",
            action="store_true",
            dest="rebuild_aggregates",
            help=_(
                "Comparar completa cada fila guardada (alertas, riesgo y seguimiento de cada "
                "proceso) en vez de por su huella, y rehacer al final todos los agregados del "
                "índice de riesgo (tablero, cortes, proveedores), no sólo los de los entes cuyos "
                "procesos cambiaron."
            ),
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help=_("Escribir el resumen como JSON."),
        )
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(
        self, *args, entities, codes, dry_run, batch, keep_statistics, workers, part_size, **options
    ):
        as_json, no_progress = options["as_json"], options["no_progress"]
        selected = self.selected(codes)
        entity_ids = None
        if entities:
            found = dict(Entity.objects.filter(key__in=entities).values_list("key", "pk"))
            unknown = sorted(set(entities) - set(found))
            if unknown:
                raise CommandError(_("No existe el ente: %(keys)s") % {"keys": ", ".join(unknown)})
            entity_ids = list(found.values())
        if batch is not None and batch < 1:
            raise CommandError(_("--lote debe ser un número entero positivo."))
        if workers < 1:
            raise CommandError(_("--trabajadores debe ser un número entero positivo."))
        if part_size < 1:
            raise CommandError(_("--tamano-parte debe ser un número entero positivo."))
        # Everything loaded so far lives as long as the command: keep the collector from
        # re-scanning it after every batch of parsed releases (a quarter of the run otherwise).
        gc.freeze()
        run_options = Options(
            codes=[item.code for item in selected],
            entity_ids=entity_ids,
            send=not dry_run,
            batch=batch,
            workers=workers,
            part_size=part_size,
            rebuild_aggregates=options["rebuild_aggregates"],
        )
        labels = {"statistics": _("Estadísticas"), "indicators": _("Indicadores")}
        bars = []

        def stage(name, total):
            if bars:
                bars[-1].close()
            bars.append(
                tqdm(total=total, desc=labels[name], unit=_("procesos"), disable=no_progress)
            )

        try:
            summary = recompute(
                run_options,
                statistics=not keep_statistics,
                progress=stage,
                advance=lambda count: bars[-1].update(count),
            )
        finally:
            for bar in bars:
                bar.close()
        if as_json:
            payload = {
                "processes": summary.processes,
                "seconds": round(summary.seconds, 3),
                "indicators": [row.as_dict() for row in summary.rows],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.write_table(summary)

    @staticmethod
    def selected(codes):
        registry = {item.code: item for item in indicators()}
        unknown = sorted(set(codes) - set(registry))
        if unknown:
            raise CommandError(
                _("No existe el indicador: %(codes)s. Los indicadores son: %(known)s")
                % {"codes": ", ".join(unknown), "known": ", ".join(registry)}
            )
        return [registry[code] for code in codes] if codes else list(registry.values())

    def write_table(self, summary):
        self.stdout.write(
            _("Procesos evaluados: %(count)s en %(seconds).1f s")
            % {"count": summary.processes, "seconds": summary.seconds}
        )
        header = _("indicador       elegibles  señalados  proporción  no calculables")
        self.stdout.write(header)
        for row in summary.rows:
            share = "—" if row.share is None else f"{row.share:.1%}"
            mark = "  " + _("revise los umbrales") if row.review_thresholds else ""
            self.stdout.write(
                f"{row.code:<15} {row.eligible:>9}  {row.flagged:>9}  {share:>10}  "
                f"{row.not_computable:>14}{mark}"
            )
