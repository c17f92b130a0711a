"""Indexes for the basket without whole rows (issue 18, speed; docs/benchmarks.md).

* ``price_item_unit_year`` (item, unit, year) replaces ``price_item_unit``. On PostgreSQL it is
  then rebuilt, with the same name, as a covering index that also carries the columns the
  statistics read (currency, price, date, state, quantity): the statistics of an item come from
  the index alone (index-only scan) instead of from thousands of heap pages. SQLite keeps the plain
  index (it has no ``INCLUDE``).
* ``price_item_recent`` (item, date descending, id) gives the page of a basket, the most recent
  rows first, without sorting all the rows of the item.
"""

from django.db import migrations, models

COVERING = """
DROP INDEX IF EXISTS price_item_unit_year;
CREATE INDEX price_item_unit_year ON mercado_priceobservation
    (classification_id, unit_key, year) INCLUDE (currency, unit_price, date, state, quantity);
"""
PLAIN = """
DROP INDEX IF EXISTS price_item_unit_year;
CREATE INDEX price_item_unit_year ON mercado_priceobservation (classification_id, unit_key, year);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("mercado", "0006_s6_datasets")]

    operations = [
        migrations.RemoveIndex(model_name="priceobservation", name="price_item_unit"),
        migrations.AddIndex(
            model_name="priceobservation",
            index=models.Index(
                fields=["classification_id", "unit_key", "year"], name="price_item_unit_year"
            ),
        ),
        migrations.AddIndex(
            model_name="priceobservation",
            index=models.Index(
                fields=["classification_id", "-date", "id"], name="price_item_recent"
            ),
        ),
        migrations.RunPython(on_postgresql(COVERING), on_postgresql(PLAIN)),
    ]
