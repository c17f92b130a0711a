"""Contract monitoring (issue 19): the acceptance certificate (acta de entrega-recepción a entera
satisfacción) is asked for each delivery of the implementation forms, and published in that
milestone's documents, instead of once for the whole contract. A new version of each form, never
an edit: drafts keep the version they were filled with."""

from django.db import migrations


def publish(apps, schema_editor):
    from workflows.forms.defaults import publish_milestone_acceptance

    publish_milestone_acceptance(
        apps.get_model("workflows", "FormDefinition"), apps.get_model("workflows", "FormVersion")
    )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0014_monitoring_fields")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
