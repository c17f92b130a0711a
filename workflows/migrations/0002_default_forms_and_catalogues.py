"""Install the shipped catalogues and the default stage forms, each published as version 1."""

from django.db import migrations


def install(apps, schema_editor):
    from workflows.forms.catalogue_data import load_catalogues
    from workflows.forms.defaults import install_default_forms

    load_catalogues(
        apps.get_model("workflows", "CucopItem"),
        apps.get_model("workflows", "UnitOfMeasure"),
        apps.get_model("workflows", "LegalJustification"),
        apps.get_model("workflows", "DocumentType"),
    )
    install_default_forms(
        apps.get_model("workflows", "FormDefinition"), apps.get_model("workflows", "FormVersion")
    )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
