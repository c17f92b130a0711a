"""Rebuild ``ocds_pages/data/release-schema-patched.json`` from the bundled core and extensions."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ocds_pages import schema


class Command(BaseCommand):
    help = _(
        "Genera el esquema de release parchado (OCDS 1.1.5 + extensiones EDCA-MX + extensión "
        "propia) a partir de los archivos incluidos en el proyecto, sin usar la red."
    )

    def handle(self, *args, **options):
        schema.write_patched_schema()
        self.stdout.write(
            self.style.SUCCESS(
                _("Esquema escrito en %(path)s") % {"path": schema.PATCHED_SCHEMA_PATH}
            )
        )
