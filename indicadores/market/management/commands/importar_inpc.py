"""``manage.py importar_inpc ARCHIVO``: load INEGI's INPC CSV for the price adjustment."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicadores.market import inflation


class Command(BaseCommand):
    help = _(
        "Carga el Índice Nacional de Precios al Consumidor desde el CSV del Banco de "
        "Información Económica de INEGI (filas «2024/01,134.071»); la serie del archivo "
        "reemplaza la tabla cargada, y un archivo inválido la deja como estaba."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivo", type=Path, help=_("CSV exportado de INEGI."))

    def handle(self, *args, archivo: Path, **options):
        try:
            values = inflation.read_table(archivo.read_bytes())
        except (OSError, inflation.InflationFileError) as error:
            raise CommandError(str(error)) from error
        count = inflation.load(values, source=archivo.name)
        first, last = min(values), max(values)
        self.stdout.write(
            _("INPC: %(count)s meses cargados, de %(first)s a %(last)s.")
            % {
                "count": count,
                "first": f"{first[0]}-{first[1]:02d}",
                "last": f"{last[0]}-{last[1]:02d}",
            }
        )
