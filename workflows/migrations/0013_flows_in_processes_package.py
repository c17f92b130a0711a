"""The stage flows moved from ``workflows/flows.py`` to ``workflows/processes/flows.py``.

Viewflow stores each process's flow class and each task's node as a path under the app
(``workflows/flows.PlanningFlow``, ``workflows/flows.PlanningFlow.capture``); a stored path that no
longer imports would leave the process without a flow. Both are rewritten, and back on reverse.
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace

OLD = "workflows/flows."
NEW = "workflows/processes.flows."


def rewrite(apps, old: str, new: str) -> None:
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    # A replace inside the database: the values are never loaded, so a path that does not import
    # (the old one after the move) is never resolved.
    Process.objects.filter(flow_class__startswith=old).update(
        flow_class=Replace(F("flow_class"), Value(old), Value(new))
    )
    Task.objects.filter(flow_task__startswith=old).update(
        flow_task=Replace(F("flow_task"), Value(old), Value(new))
    )


def forwards(apps, schema_editor):
    rewrite(apps, OLD, NEW)


def backwards(apps, schema_editor):
    rewrite(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0012_dictamen_document_type"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
