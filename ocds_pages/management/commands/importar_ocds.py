"""``manage.py importar_ocds FILE...``: import OCDS packages, records or JSON Lines (also .gz)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from ocds_pages import reference
from ocds_pages.importer import (
    EntityResolver,
    ImportFileError,
    ImportOptions,
    ImportSummary,
    import_items,
    read_items,
    scan_file,
)


class Command(BaseCommand):
    bar = None
    help = _(
        "Importa paquetes de entregas, paquetes de registros o JSON Lines de entregas o "
        "entregas compiladas (también .gz). Cada proceso se guarda completo o no se guarda."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help=_("Archivos a importar."))
        parser.add_argument(
            "--crear-entes",
            action="store_true",
            dest="create_entities",
            help=_("Dar de alta como ente público al comprador que no exista (orden federal)."),
        )
        parser.add_argument(
            "--cualquier-prefijo",
            action="store_true",
            dest="any_prefix",
            help=_(
                "Aceptar ocids cuyo prefijo no tiene la forma registrada ocds-xxxxxx (se "
                "reportan). Los del prefijo de esta instalación se rechazan siempre."
            ),
        )
        parser.add_argument(
            "--referencia",
            dest="reference",
            default="",
            metavar="NOMBRE",
            help=_(
                "Guardar los procesos como datos de referencia de otro publicador con este nombre "
                "(para la investigación de mercado), sin publicarlos como propios."
            ),
        )
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(self, *args, files, create_entities, no_progress, any_prefix=False, **options):
        if options.get("reference"):
            return self.import_reference(files, options["reference"])
        summary = ImportSummary(on_message=self.show)
        resolver = EntityResolver(create=create_entities)
        self.options = ImportOptions(any_prefix=any_prefix)
        rejected_files = 0
        for path in files:
            try:
                self.import_file(path, resolver, summary, no_progress)
            except (ImportFileError, OSError) as error:
                rejected_files += 1
                self.stderr.write(
                    _("%(file)s rechazado: %(error)s") % {"file": path, "error": error}
                )
        self.report(summary, rejected_files)
        if rejected_files == len(files):
            raise CommandError(_("No se pudo leer ningún archivo."))

    def show(self, kind: str, text: str) -> None:
        """Each error or warning as soon as it is found, above the progress bar."""
        line = text if kind == "error" else _("Aviso: %(warning)s") % {"warning": text}
        if self.bar is not None and not self.bar.disable:
            self.bar.write(line, file=self.stderr._out)
        else:
            self.stderr.write(line)

    def import_reference(self, files, name: str):
        """Each file's releases, grouped by ocid, to the reference store (ocds_pages.reference)."""
        kept = 0
        for path in files:
            groups: dict[str, list[dict]] = {}
            try:
                scan = scan_file(path)
                for item in read_items(path, scan):
                    if isinstance(item.release, dict) and item.release.get("ocid"):
                        groups.setdefault(str(item.release["ocid"]), []).append(item.release)
                kept += reference.store(name, groups)
            except (ImportFileError, OSError, reference.NoReferenceStore) as error:
                raise CommandError(
                    _("%(file)s rechazado: %(error)s") % {"file": path, "error": error}
                ) from error
        self.stdout.write(
            _("Datos de referencia «%(name)s»: %(count)s procesos guardados.")
            % {"name": name, "count": kept}
        )

    def import_file(self, path: Path, resolver, summary, no_progress):
        scan = scan_file(path)  # a broken file is rejected, saying where, before anything is stored
        with tqdm(
            total=scan.count, desc=path.name, unit=_("entregas"), disable=no_progress
        ) as self.bar:
            import_items(
                items=read_items(path, scan),
                resolver=resolver,
                summary=summary,
                progress=self.bar.update,
                options=self.options,
            )
        self.bar = None

    def report(self, summary: ImportSummary, rejected_files: int):
        self.stdout.write(summary.report(rejected_files))
