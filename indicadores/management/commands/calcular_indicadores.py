"""``manage.py calcular_indicadores``: evaluate every indicator over the published records."""

import gc
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.models import Entity
from indicadores import alerts
from indicadores.engine.core import indicators
from indicadores.engine.runner import STATISTIC_CODES, compute_statistics, run
from indicadores.risk.services import during_run
from ocds_pages.models import Record


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

    def handle(self, *args, entities, codes, dry_run, batch, keep_statistics, **options):
        as_json, no_progress = options["as_json"], options["no_progress"]
        selected = self.selected(codes)
        queryset = Record.objects.all()
        if entities:
            found = dict(Entity.objects.filter(key__in=entities).values_list("key", "pk"))
            unknown = sorted(set(entities) - set(found))
            if unknown:
                raise CommandError(_("No existe el ente: %(keys)s") % {"keys": ", ".join(unknown)})
            queryset = queryset.filter(entity_id__in=found.values())
        if batch is not None and batch < 1:
            raise CommandError(_("--lote debe ser un número entero positivo."))
        # Everything loaded so far lives as long as the command: keep the collector from
        # re-scanning it after every batch of parsed releases (a quarter of the run otherwise).
        gc.freeze()
        if not keep_statistics and STATISTIC_CODES & {item.code for item in selected}:
            with tqdm(
                total=Record.objects.count(),
                desc=_("Estadísticas"),
                unit=_("procesos"),
                disable=no_progress,
            ) as bar:
                compute_statistics(batch=batch, progress=bar.update)
        with (
            tqdm(
                total=queryset.count(),
                desc=_("Indicadores"),
                unit=_("procesos"),
                disable=no_progress,
            ) as bar,
            # The risk index (indicadores/risk/) is rebuilt from the same evaluations.
            during_run(selected=selected, send=not dry_run, whole=not entities),
            # Alerts are written a batch at a time, one notice per entity (indicadores/alerts.py).
            alerts.collecting(send=not dry_run),
        ):
            summary = run(
                queryset=queryset,
                selected=selected,
                send=not dry_run,
                batch=batch,
                progress=bar.update,
            )
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
