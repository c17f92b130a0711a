"""Room in each page of the alerts table for the nightly re-dating (PostgreSQL only).

A nightly ``calcular_indicadores`` renews ``last_computed_at`` of every alert it finds again. In a
full page PostgreSQL writes the new version of the row elsewhere and adds it to each of the
table's fourteen indexes; with room left in the page, and no indexed column changed, it writes a
heap-only tuple (HOT) and touches no index. Measured on 100,000 processes (docs/benchmarks.md,
«Motor de indicadores»): re-dating a batch of 1,250 alerts 145 ms → 42–68 ms. The setting
applies to pages written from now on; ``VACUUM FULL indicadores_alert`` applies it to the
existing ones (docs/instalacion.md).
"""

from django.db import migrations

FILLFACTOR = 70


def _alter(setting: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("indicadores", "Alert")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} {setting}")

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("indicadores", "0016_process_risk_date_kept"),
    ]

    operations = [
        migrations.RunPython(
            _alter(f"SET (fillfactor = {FILLFACTOR})"), _alter("RESET (fillfactor)")
        ),
    ]
