"""Payments publish the CFDI folio as the transaction id and the payee's RFC: a new version of the
implementation forms, never an edit (docs/ocds.md, «Pagos»).

Version 1 wrote the folio to ``transactions/source``, which OCDS defines as a URI, so every payment
failed the schema. Drafts keep the version they were filled with.
"""

from django.db import migrations


def publish(apps, schema_editor):
    from workflows.forms.defaults import publish_payment_fields

    publish_payment_fields(
        apps.get_model("workflows", "FormDefinition"), apps.get_model("workflows", "FormVersion")
    )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0009_integrity_override")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
