"""An index for the indicators' peers (indicadores/engine/peers.py): the processes of a purchasing
unit in a year or a window, with their amounts, method, category and dates.

On PostgreSQL it is then rebuilt, with the same name, as a covering index that also carries the
columns those queries read: they come from the index alone (index-only scan) instead of from one
heap page per process of a large unit (docs/benchmarks.md, «Motor de indicadores»). SQLite keeps
the plain index (it has no ``INCLUDE``).
"""

from django.db import migrations, models

COVERING = """
DROP INDEX IF EXISTS process_unit_award;
CREATE INDEX process_unit_award ON ocds_pages_processprojection (unit_id, award_date)
    INCLUDE (id, entity_id, awarded_amount, contracted_amount, currency, ocid, procurement_method,
             main_procurement_category, contract_date_signed);
"""
PLAIN = """
DROP INDEX IF EXISTS process_unit_award;
CREATE INDEX process_unit_award ON ocds_pages_processprojection (unit_id, award_date);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_jobs"),
        ("ocds_pages", "0012_declared_extensions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="processprojection",
            index=models.Index(fields=["unit", "award_date"], name="process_unit_award"),
        ),
        migrations.RunPython(on_postgresql(COVERING), on_postgresql(PLAIN)),
    ]
