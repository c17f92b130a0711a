"""The national award forms record the bids (Proposiciones group): a new version, never an edit.

Installations created before this carry award version 1 without the group; migration 0002 stays as
it was and this publishes the next version. Drafts keep the version they were filled with.
"""

from django.db import migrations


def publish(apps, schema_editor):
    from workflows.forms.defaults import publish_bids_group

    publish_bids_group(
        apps.get_model("workflows", "FormDefinition"), apps.get_model("workflows", "FormVersion")
    )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_form_definition_partial_unique")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
