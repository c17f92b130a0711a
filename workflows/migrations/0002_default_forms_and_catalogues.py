"""Install the shipped catalogues and the default stage forms, each published as version 1."""

from django.db import migrations


def install(apps, schema_editor):
    from workflows.catalogue_data import load_catalogues
    from workflows.defaults import default_specs
    from workflows.spec import stream_from_spec

    load_catalogues(
        apps.get_model("workflows", "CucopItem"),
        apps.get_model("workflows", "UnitOfMeasure"),
        apps.get_model("workflows", "LegalJustification"),
        apps.get_model("workflows", "DocumentType"),
    )
    definitions = apps.get_model("workflows", "FormDefinition")
    versions = apps.get_model("workflows", "FormVersion")
    for stage, procedure, title, spec in default_specs():
        definition, created = definitions.objects.get_or_create(
            stage=stage,
            procedure_type=procedure,
            entity=None,
            defaults={"title": title, "fields": stream_from_spec(spec), "live": True},
        )
        if created:
            versions.objects.create(
                definition=definition,
                number=1,
                stage=stage,
                procedure_type=procedure,
                title=title,
                spec=spec,
            )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
