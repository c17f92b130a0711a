"""Install the shipped stage forms and catalogues that are missing (the migration does it once;
this command restores them, e.g. after a database was emptied). Never overwrites edited forms."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows.forms.catalogue_data import load_catalogues
from workflows.forms.defaults import install_default_forms
from workflows.forms.form_services import extension_fields_sync
from workflows.models import (
    CucopItem,
    DocumentType,
    FormDefinition,
    FormVersion,
    LegalJustification,
    UnitOfMeasure,
)


class Command(BaseCommand):
    help = _("Instala los formularios por etapa y los catálogos que vienen con el sistema.")

    def handle(self, *args, **options):
        load_catalogues(CucopItem, UnitOfMeasure, LegalJustification, DocumentType)
        created = install_default_forms(FormDefinition, FormVersion)
        extension_fields_sync()
        self.stdout.write(
            _("Formularios creados: %(created)s; catálogos al día.") % {"created": created}
        )
