"""``manage.py reconstruir_precios``: redo the market research's unit-price rows."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from indicadores.market import services


class Command(BaseCommand):
    help = _(
        "Rehace la tabla de precios unitarios (investigación de mercado) a partir de los "
        "registros publicados y de los datos de referencia."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(self, *args, no_progress=False, **options):
        with tqdm(total=services.rebuild_total(), unit=_("registros"), disable=no_progress) as bar:
            counts = services.rebuild(progress=bar.update)
        self.stdout.write(services.rebuild_summary(counts))
