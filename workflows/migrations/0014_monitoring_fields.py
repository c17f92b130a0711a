"""Contract monitoring (issue 19): a new version of the implementation forms with the acceptance
document (completionCertificate) and the penalties (penas convencionales y deducciones, project
extension), and of the contract forms with each guarantee's validity. Never an edit: drafts keep
the version they were filled with."""

from django.db import migrations


def publish(apps, schema_editor):
    from workflows.forms.defaults import publish_monitoring_fields

    publish_monitoring_fields(
        apps.get_model("workflows", "FormDefinition"), apps.get_model("workflows", "FormVersion")
    )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0013_flows_in_processes_package")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
