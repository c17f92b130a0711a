"""Register the demo PDN providers that point at ``servidores_falsos_pdn``."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from devtools.demo_providers import demo_providers_load
from devtools.fake_pdn import DEMO_BASE_PORT


class Command(BaseCommand):
    help = _("Da de alta (o actualiza) proveedores de demostración para los servidores falsos.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("Dónde escuchan los falsos."))
        parser.add_argument(
            "--puerto-base",
            type=int,
            default=DEMO_BASE_PORT,
            help=_("Primer puerto de los servidores falsos."),
        )

    def handle(self, *args, **options):
        providers = demo_providers_load(host=options["host"], base_port=options["puerto_base"])
        for provider in providers:
            self.stdout.write(
                f"{provider.name}: {provider.system} {provider.version} → {provider.url}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s proveedores de demostración listos.") % {"count": len(providers)}
            )
        )
