"""Releases stay append-only against TRUNCATE too, and get a database guard on SQLite.

PostgreSQL: the row trigger of migration 0002 refuses UPDATE and DELETE, but TRUNCATE fires no row
trigger (``TRUNCATE ocds_pages_release CASCADE`` emptied the table and everything that points at
it). A statement-level trigger refuses it with the same function and message. The owner of the
table can still disable triggers; a deployment where the application connects as a role that does
not own the tables closes that (``manage.py privilegios_aplicacion``, docs/instalacion.md).

SQLite has no TRUNCATE (``DELETE FROM`` without a condition is its equivalent, and a DELETE
trigger turns off its truncate shortcut), so two triggers refuse UPDATE and DELETE there as well.
"""

from django.db import migrations

PG_TRUNCATE_GUARD = """
CREATE TRIGGER ocds_pages_release_no_truncate
    BEFORE TRUNCATE ON ocds_pages_release
    FOR EACH STATEMENT EXECUTE FUNCTION ocds_pages_release_append_only();
"""
PG_DROP_TRUNCATE_GUARD = (
    "DROP TRIGGER IF EXISTS ocds_pages_release_no_truncate ON ocds_pages_release;"
)

SQLITE_GUARDS = [
    "CREATE TRIGGER IF NOT EXISTS ocds_pages_release_no_update BEFORE UPDATE ON ocds_pages_release "
    "BEGIN SELECT RAISE(ABORT, 'Las entregas OCDS publicadas son inmutables: UPDATE rechazado'); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS ocds_pages_release_no_delete BEFORE DELETE ON ocds_pages_release "
    "BEGIN SELECT RAISE(ABORT, 'Las entregas OCDS publicadas son inmutables: DELETE rechazado'); "
    "END",
]
SQLITE_DROP_GUARDS = [
    "DROP TRIGGER IF EXISTS ocds_pages_release_no_update",
    "DROP TRIGGER IF EXISTS ocds_pages_release_no_delete",
]


def run(postgresql, sqlite):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("ocds_pages", "0010_extension_field")]

    operations = [
        migrations.RunPython(
            run([PG_TRUNCATE_GUARD], SQLITE_GUARDS),
            run([PG_DROP_TRUNCATE_GUARD], SQLITE_DROP_GUARDS),
        ),
    ]
