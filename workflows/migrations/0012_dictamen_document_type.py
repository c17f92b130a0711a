"""The «Dictamen de excepción» of the direct-award tender form is published as evaluationReports,
not tenderNotice: a new version of each tender form that still says tenderNotice (never an edit;
drafts keep their version), and the same fix in the catalogue of document types."""

from django.db import migrations


def fix(apps, schema_editor):
    from workflows.forms.defaults import DICTAMEN_DOCUMENT_TYPE, publish_dictamen_document_type

    publish_dictamen_document_type(
        apps.get_model("workflows", "FormDefinition"), apps.get_model("workflows", "FormVersion")
    )
    apps.get_model("workflows", "DocumentType").objects.filter(
        name="Dictamen de excepción a la licitación", ocds_code="tenderNotice"
    ).update(ocds_code=DICTAMEN_DOCUMENT_TYPE)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0011_draft_files")]

    operations = [migrations.RunPython(fix, migrations.RunPython.noop)]
