"""Import the CUCoP (Clasificador Único de las Contrataciones Públicas) from a CSV file.

Format (docs/formularios.md): UTF-8, a header row, columns ``clave``, ``descripcion`` and
optionally ``partida`` (CompraNet's headers "CLAVE CUCoP", "DESCRIPCIÓN", "PARTIDA ESPECÍFICA" are
accepted too). Existing codes are updated, new ones created; nothing is deleted.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from workflows.forms.catalogue_data import CucopFormatError, import_cucop, read_cucop_csv
from workflows.models import CucopItem


class Command(BaseCommand):
    help = _("Importa claves CUCoP desde un archivo CSV (clave, descripcion, partida).")

    def add_arguments(self, parser):
        parser.add_argument("archivo", type=Path, help=_("Ruta del CSV en UTF-8."))

    def handle(self, *args, **options):
        path = options["archivo"]
        if not path.is_file():
            raise CommandError(_("No existe el archivo %(path)s.") % {"path": path})
        try:
            with transaction.atomic():
                created, updated, rejected = import_cucop(
                    CucopItem, read_cucop_csv(path), progress=self._progress
                )
        except CucopFormatError as exc:
            raise CommandError(
                _("El CSV debe tener encabezados «clave» y «descripcion»; tiene: %(header)s")
                % {"header": ", ".join(exc.args[0]) or _("(vacío)")}
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("El archivo no está en UTF-8.")) from exc
        for line, code in rejected:
            self.stderr.write(
                _("Línea %(line)s rechazada: clave «%(code)s» no válida o sin descripción.")
                % {"line": line, "code": code}
            )
        self.stdout.write(
            _(
                "CUCoP: %(created)s claves nuevas, %(updated)s actualizadas, "
                "%(rejected)s rechazadas."
            )
            % {"created": created, "updated": updated, "rejected": len(rejected)}
        )

    def _progress(self, count):
        self.stdout.write(_("… %(count)s claves procesadas") % {"count": count})
