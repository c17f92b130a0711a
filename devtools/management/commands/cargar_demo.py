"""``manage.py cargar_demo``: load the demo installation (idempotent, development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devtools import demo_entities


class Command(BaseCommand):
    help = _(
        "Carga datos de demostración: tres entes piloto, una persona por rol y clientes OAuth."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--forzar",
            action="store_true",
            help=_("Permite cargar la demostración aunque DJANGO_ENV=production."),
        )

    def handle(self, *args, forzar=False, **options):
        if settings.PRODUCTION and not forzar:
            raise CommandError(
                _("La demostración usa contraseñas públicas: no se carga en producción.")
            )
        summary = demo_entities.load_demo()
        self.stdout.write(self.style.SUCCESS(_("Demostración lista.")))
        self.stdout.write(
            _(
                "Nuevos: %(entities)d entes, %(units)d unidades, %(users)d personas, "
                "%(memberships)d membresías, %(clients)d clientes OAuth."
            )
            % vars(summary)
        )
        self.stdout.write(
            _(
                "Cuentas: admin, capturista.imss, aprobador.imss, oic.imss, admin_ente.imss, "
                "editor.imss (y lo mismo con .sict y .sepjal). Contraseña: %(password)s"
            )
            % {"password": demo_entities.DEMO_PASSWORD}
        )
        self.stdout.write(
            _("Cliente OAuth de la PDN: %(client)s / %(secret)s (usuario pdn).")
            % {"client": demo_entities.PDN_CLIENT_ID, "secret": demo_entities.PDN_CLIENT_SECRET}
        )
