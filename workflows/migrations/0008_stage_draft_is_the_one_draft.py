"""A stage keeps one draft: ``StageProcess.draft`` (an OCDS fragment) goes, ``StageDraft`` stays.

The fragment is computed from the stage draft's form values when it is submitted, reviewed and
approved (``process_services.stage_fragment``). Published stages have their fragment in the
release; runs created by ``stage_start`` always have a stage draft. A run still open with a
fragment but no stage draft (none is expected) would lose it, so the fragment is copied into its
process's audit log before the column is dropped.
"""

import json

from django.db import migrations


def keep_orphan_fragments(apps, schema_editor):
    runs = apps.get_model("workflows", "StageProcess")
    entries = apps.get_model("workflows", "AuditEntry")
    orphans = runs.objects.filter(stage_draft__isnull=True, finished__isnull=True)
    for run in orphans.exclude(draft={}):
        entries.objects.create(
            contracting_process_id=run.contracting_process_id,
            stage_process=run,
            action="save_draft",
            reason="Borrador OCDS conservado al migrar a un solo borrador por etapa:\n"
            + json.dumps(run.draft, ensure_ascii=False, indent=2),
        )


class Migration(migrations.Migration):
    dependencies = [("workflows", "0007_one_stage_vocabulary")]

    operations = [
        migrations.RunPython(keep_orphan_fragments, migrations.RunPython.noop),
        migrations.RemoveField(model_name="stageprocess", name="draft"),
    ]
