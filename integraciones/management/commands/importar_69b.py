"""Import SAT's article 69-B list (Listado_Completo_69-B.csv) from a file or a URL."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from integraciones.exceptions import RegistryError
from integraciones.sat69b import sat69b_import


class Command(BaseCommand):
    help = _(
        "Importa el listado completo del artículo 69-B del SAT (CSV en Windows-1252) desde un "
        "archivo o una URL; volver a importar el mismo archivo no cambia nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("origen", help=_("Ruta del CSV o URL http(s) de donde descargarlo."))
        parser.add_argument(
            "--sin-progreso", action="store_true", help=_("No mostrar la barra de progreso.")
        )

    def handle(self, *args, **options):
        def progress(batches):
            return tqdm(
                batches,
                desc=_("Contribuyentes (lotes)"),
                disable=options["sin_progreso"],
                file=self.stderr,
            )

        try:
            summary = sat69b_import(source=options["origen"], progress=progress)
        except (RegistryError, OSError) as exc:
            raise CommandError(
                _("No se pudo importar el listado 69-B: %(error)s") % {"error": exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Listado 69-B importado: %(rows)s contribuyentes (%(created)s nuevos, "
                    "%(updated)s actualizados), %(events)s eventos, %(skipped)s filas sin RFC, "
                    "%(gone)s ya no aparecen en el listado."
                )
                % {
                    "rows": summary.rows,
                    "created": summary.created,
                    "updated": summary.updated,
                    "events": summary.events,
                    "skipped": summary.skipped,
                    "gone": summary.no_longer_listed,
                }
            )
        )
        for status, count in sorted(summary.by_status.items()):
            self.stdout.write(f"  {status}: {count}")
