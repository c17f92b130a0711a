"""``manage.py cargar_demo_procesos``: demo processes in every stage and procedure type.

Run after ``cargar_demo`` (it needs its people). The planted integrity cases of
``devtools.demo_alerts`` come with them. Development only, like the rest of the demo.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from devtools.demo_alerts import load_planted_cases
from devtools.demo_processes import load_demo_processes


class Command(BaseCommand):
    help = _("Crea procesos de demostración en todas las etapas y tipos de procedimiento.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--forzar",
            action="store_true",
            help=_("Permite cargarlos aunque DJANGO_ENV=production."),
        )

    def handle(self, *args, forzar=False, **options):
        if settings.PRODUCTION and not forzar:
            raise CommandError(_("Los procesos de demostración no se cargan en producción."))
        with transaction.atomic():  # the processes and the planted cases, or nothing
            created = load_demo_processes() + load_planted_cases()
        self.stdout.write(
            self.style.SUCCESS(
                _("Procesos de demostración creados: %(count)s") % {"count": created}
            )
        )
