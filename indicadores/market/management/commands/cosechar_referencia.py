"""``manage.py cosechar_referencia URL --nombre NOMBRE``: harvest another OCDS API."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from indicadores.market.models import ReferenceDataset
from indicadores.market.reference import HarvestError, harvest


class Command(BaseCommand):
    help = _(
        "Recorre la lista de registros de la API OCDS de otra instalación y guarda sus procesos "
        "como datos de referencia para la investigación de mercado (nunca se publican como "
        "propios). Se reanuda donde se quedó."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "url", help=_("Dirección de la lista de registros (…/api/ocds/records/).")
        )
        parser.add_argument("--nombre", required=True, help=_("Cómo se cita la fuente."))
        parser.add_argument(
            "--paginas", type=int, default=None, help=_("Detenerse tras estas páginas.")
        )
        parser.add_argument(
            "--sin-progreso", action="store_true", help=_("No mostrar la barra de progreso.")
        )

    def handle(self, *args, url, nombre, paginas=None, sin_progreso=False, **options):
        dataset, _created = ReferenceDataset.objects.get_or_create(
            name=nombre[:200], defaults={"kind": ReferenceDataset.Kind.HARVEST, "url": url}
        )
        if dataset.url != url:
            dataset.url, dataset.cursor = url, ""
            dataset.save(update_fields=["url", "cursor"])
        with tqdm(unit=_("registros"), disable=sin_progreso) as bar:
            try:
                kept = harvest(dataset, progress=bar.update, max_pages=paginas)
            except HarvestError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            _("«%(name)s»: %(kept)s procesos guardados; %(total)s en total.")
            % {"name": dataset.name, "kept": kept, "total": dataset.records}
        )
