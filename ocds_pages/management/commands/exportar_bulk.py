"""``manage.py exportar_bulk [--anio AAAA ...]``: write the bulk files served at /api/ocds/bulk/."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from ocds_pages import bulk


class Command(BaseCommand):
    help = _(
        "Genera los archivos masivos por año (JSON Lines, paquetes, CSV y XLSX) en OCDS_BULK_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anio",
            type=int,
            action="append",
            dest="years",
            help=_("Año a exportar (repetible); sin él, todos los años con datos."),
        )
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="quiet",
            help=_("No mostrar la barra de progreso (para cron)."),
        )

    def handle(self, *args, years=None, quiet=False, **options):
        known = bulk.years()
        unknown = sorted(set(years or []) - set(known))
        if unknown:
            raise CommandError(
                _("No hay datos publicados del año %(years)s.")
                % {"years": ", ".join(str(year) for year in unknown)}
            )
        total = bulk.count_rows(years)
        with tqdm(total=total, unit=_("filas"), disable=quiet, file=self.stderr) as bar:
            summaries = bulk.export(only_years=years, progress=bar.update)
        for summary in summaries:
            self._report(summary)
        if not summaries:
            self.stdout.write(_("No hay datos publicados; no se generó ningún archivo."))

    def _report(self, summary):
        self.stdout.write(summary.describe())
        for item in summary.files:
            self.stdout.write(f"  {item.name}  {item.size:,} B  sha256 {item.sha256[:12]}…")
        for note in summary.notes:
            self.stdout.write(f"  {note}")
