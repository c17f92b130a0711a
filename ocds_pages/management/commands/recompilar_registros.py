"""``manage.py recompilar_registros``: recompile every record and its projections."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from ocds_pages.models import Record
from ocds_pages.publication import recompile_record

BATCH = 1000


class Command(BaseCommand):
    help = _(
        "Recompila la entrega compilada y la versionada de cada registro a partir de sus "
        "entregas, con el esquema incluido en el proyecto, y reconstruye sus proyecciones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ocid", action="append", help=_("Sólo estos ocid (repetible)."))
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(self, *args, ocid=None, no_progress=False, **options):
        records = Record.objects.all()
        if ocid:
            records = records.filter(ocid__in=ocid)
        done = 0
        with tqdm(
            total=records.count(), desc=_("Registros"), unit=_("registros"), disable=no_progress
        ) as bar:
            for pk in self.primary_keys(records):
                recompile_record(record=Record(pk=pk))  # one transaction per record
                done += 1
                bar.update(1)
        self.stdout.write(_("Registros recompilados: %(count)s") % {"count": done})

    @staticmethod
    def primary_keys(records):
        """Keyset pagination over the primary keys: constant memory for any number of records."""
        last = 0
        while True:
            batch = list(
                records.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
            )
            if not batch:
                return
            yield from batch
            last = batch[-1]
