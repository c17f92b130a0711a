"""The page of a text or family search, the most recent rows first: PostgreSQL walks this index
and filters as it goes (about a thousand rows for a page of 100 of a common word) instead of
sorting every match (docs/benchmarks.md, «Investigación de mercado»)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mercado", "0007_price_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="priceobservation",
            index=models.Index(fields=["-date", "id"], name="price_recent"),
        ),
    ]
