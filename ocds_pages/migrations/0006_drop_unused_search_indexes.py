"""PostgreSQL only: drop the search indexes no query uses any more.

Migration 0002 indexed ``UPPER(column)`` for Django's ``icontains`` and Spanish full text on
title + description. Since 0003/0004 every text filter runs on ``ci_fold(column)`` or on
``search_text``, and full text only ranks rows already found (``ts_rank`` is computed per row,
the index cannot serve it). The five indexes were only kept up to date on every insert: at
national scale they cost write time (each trigram GIN entry is dozens of keys) and disk.
"""

from django.db import migrations

UNUSED = """
DROP INDEX IF EXISTS process_title_trgm;
DROP INDEX IF EXISTS process_buyer_name_trgm;
DROP INDEX IF EXISTS supplier_name_trgm;
DROP INDEX IF EXISTS item_description_trgm;
DROP INDEX IF EXISTS process_fulltext_es;
"""

RESTORE = """
CREATE INDEX IF NOT EXISTS process_title_trgm
    ON ocds_pages_processprojection USING gin ((UPPER(title)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS process_buyer_name_trgm
    ON ocds_pages_processprojection USING gin ((UPPER(buyer_name)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS supplier_name_trgm
    ON ocds_pages_supplierprojection USING gin ((UPPER(name)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS item_description_trgm
    ON ocds_pages_itemprojection USING gin ((UPPER(description)) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS process_fulltext_es
    ON ocds_pages_processprojection
    USING gin (to_tsvector('spanish', coalesce(title, '') || ' ' || coalesce(description, '')));
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ocds_pages", "0005_supplier_name_key_help")]

    operations = [migrations.RunPython(on_postgresql(UNUSED), on_postgresql(RESTORE))]
