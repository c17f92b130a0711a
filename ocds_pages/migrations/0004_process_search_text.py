"""The public search column (additive): normalised text of each process, and its indexes.

PostgreSQL gets a trigram GIN index, which serves LIKE '%WORD%' on the normalised text (partial
words: "paracet"); other backends scan the column with LIKE.
"""

import orjson
from django.db import migrations, models

SEARCH_INDEXES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS process_search_text_trgm
    ON ocds_pages_processprojection USING gin (search_text gin_trgm_ops);
"""

DROP_SEARCH_INDEXES = """
DROP INDEX IF EXISTS process_search_text_trgm;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def fill_search_text(apps, schema_editor):
    # A pure function of the compiled release; imported so the text matches new publications.
    from ocds_pages.projections import search_text

    ProcessProjection = apps.get_model("ocds_pages", "ProcessProjection")
    rows = ProcessProjection.objects.select_related("record").only("pk", "record__compiled_release")
    for process in rows.iterator(chunk_size=500):
        process.search_text = search_text(orjson.loads(process.record.compiled_release))
        process.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("ocds_pages", "0003_folded_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="processprojection",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                help_text="ocid, título, descripción, comprador, proveedores y partidas, en mayúsculas y sin acentos: lo que recorre la búsqueda pública (índices de texto en PostgreSQL).",
                verbose_name="texto de búsqueda",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(SEARCH_INDEXES), on_postgresql(DROP_SEARCH_INDEXES)),
    ]
