"""PostgreSQL only: a trigram index for the free-text item search (``description_folded``).

The search filters with ``LIKE '%word%'`` on the folded description (selectors.search); SQLite
scans, which is fine at its scale.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS price_description_trgm
    ON mercado_priceobservation USING gin (description_folded gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS price_description_trgm;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("mercado", "0001_prices")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
