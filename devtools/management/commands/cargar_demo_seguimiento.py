"""``manage.py cargar_demo_seguimiento``: demo contracts in every monitoring status (issue 19).

Run after ``cargar_demo`` (it needs the IMSS entity). Development only, like the rest of the demo.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devtools.demo_monitoring import load_demo_monitoring


class Command(BaseCommand):
    help = _("Publica contratos de demostración en cada estado del seguimiento de contratos.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--forzar",
            action="store_true",
            help=_("Permite cargarlos aunque DJANGO_ENV=production."),
        )

    def handle(self, *args, forzar=False, **options):
        if settings.PRODUCTION and not forzar:
            raise CommandError(_("Los datos de demostración no se cargan en producción."))
        count = load_demo_monitoring()
        self.stdout.write(
            self.style.SUCCESS(_("Contratos de seguimiento publicados: %(n)s") % {"n": count})
        )
