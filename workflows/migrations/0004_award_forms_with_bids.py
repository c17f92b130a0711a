"""Install the award forms of licitación and invitación, which record the bids (version 1)."""

from django.db import migrations


def install(apps, schema_editor):
    from workflows.spec import stream_from_spec
    from workflows.stage_forms import workflow_specs

    definitions = apps.get_model("workflows", "FormDefinition")
    versions = apps.get_model("workflows", "FormVersion")
    for stage, procedure, title, spec in workflow_specs():
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
    dependencies = [("workflows", "0003_processes")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
