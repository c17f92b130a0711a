"""``manage.py cosechar_referencia URL --nombre NOMBRE [--s6 …]``: harvest another OCDS API or
the PDN's S6."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.jobs import JobError
from indicadores.market.jobs import s6_dataset
from indicadores.market.models import ReferenceDataset
from indicadores.market.reference import HarvestError, harvest, harvest_s6


class Command(BaseCommand):
    help = _(
        "Recorre la lista de registros de la API OCDS de otra instalación (o, con --s6, la API "
        "de contrataciones abiertas de la PDN) y guarda sus procesos como datos de referencia "
        "para la investigación de mercado (nunca se publican como propios). Se reanuda donde se "
        "quedó."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "url",
            help=_("Lista de registros (…/api/ocds/records/) o, con --s6, la API del S6."),
        )
        parser.add_argument("--nombre", required=True, help=_("Cómo se cita la fuente."))
        parser.add_argument(
            "--paginas", type=int, default=None, help=_("Detenerse tras estas páginas.")
        )
        parser.add_argument(
            "--sin-progreso", action="store_true", help=_("No mostrar la barra de progreso.")
        )
        s6 = parser.add_argument_group(
            _("S6 de la PDN"),
            _(
                "La contraseña y el secreto se leen de PDN_S6_PASSWORD y PDN_S6_CLIENT_SECRET "
                "(o quedan los que la fuente ya tiene guardados)."
            ),
        )
        s6.add_argument("--s6", action="store_true", help=_("La dirección es un S6 de la PDN."))
        s6.add_argument("--token-url", default="", help=_("Dirección del token OAuth 2.0."))
        s6.add_argument("--usuario", default="", help=_("Usuario de la PDN."))
        s6.add_argument("--client-id", default="", help=_("Cliente OAuth."))

    def handle(self, *args, url, nombre, paginas=None, sin_progreso=False, **options):
        if options["s6"]:
            try:
                dataset = s6_dataset(
                    {
                        "name": nombre,
                        "url": url,
                        "token_url": options["token_url"],
                        "username": options["usuario"],
                        "client_id": options["client_id"],
                        "password": os.environ.get("PDN_S6_PASSWORD", ""),
                        "client_secret": os.environ.get("PDN_S6_CLIENT_SECRET", ""),
                    }
                )
            except JobError as error:
                raise CommandError(str(error)) from error
            run = harvest_s6
        else:
            dataset, _created = ReferenceDataset.objects.get_or_create(
                name=nombre[:200], defaults={"kind": ReferenceDataset.Kind.HARVEST, "url": url}
            )
            if dataset.url != url:
                dataset.url, dataset.cursor = url, ""
                dataset.save(update_fields=["url", "cursor"])
            run = harvest
        with tqdm(unit=_("registros"), disable=sin_progreso) as bar:
            try:
                kept = run(dataset, progress=bar.update, max_pages=paginas)
            except HarvestError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            _("«%(name)s»: %(kept)s procesos guardados; %(total)s en total.")
            % {"name": dataset.name, "kept": kept, "total": dataset.records}
        )
