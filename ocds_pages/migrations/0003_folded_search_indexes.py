"""PostgreSQL only: accent- and case-insensitive search (``ci_fold``) with trigram indexes on it.

``unaccent`` is only STABLE, so it cannot back an index; ``ci_fold`` pins the dictionary and is
declared IMMUTABLE, the usual way to index unaccented text. The S6 endpoint of the PDN filters
with ``ci_fold(column) LIKE '%term%'`` (ocds_pages.search.Folded); SQLite gets the same function
from Python. Added by the export API (issue 7); additive only.
"""

from django.db import migrations

FOLDED_SEARCH = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION ci_fold(text) RETURNS text AS $$
    SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1))
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
CREATE INDEX IF NOT EXISTS process_title_folded_trgm
    ON ocds_pages_processprojection USING gin (ci_fold(title) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS process_buyer_name_folded_trgm
    ON ocds_pages_processprojection USING gin (ci_fold(buyer_name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS supplier_name_folded_trgm
    ON ocds_pages_supplierprojection USING gin (ci_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS item_description_folded_trgm
    ON ocds_pages_itemprojection USING gin (ci_fold(description) gin_trgm_ops);
"""

DROP_FOLDED_SEARCH = """
DROP INDEX IF EXISTS process_title_folded_trgm;
DROP INDEX IF EXISTS process_buyer_name_folded_trgm;
DROP INDEX IF EXISTS supplier_name_folded_trgm;
DROP INDEX IF EXISTS item_description_folded_trgm;
DROP FUNCTION IF EXISTS ci_fold(text);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ocds_pages", "0002_postgresql_guards_and_search")]

    operations = [
        migrations.RunPython(on_postgresql(FOLDED_SEARCH), on_postgresql(DROP_FOLDED_SEARCH)),
    ]
