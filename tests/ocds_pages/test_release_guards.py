"""Releases are append-only in the database itself (issue 20, item 4).

On PostgreSQL a statement trigger refuses TRUNCATE (with or without CASCADE), and an application
role that does not own the tables (``manage.py privilegios_aplicacion``) can neither truncate nor
disable the triggers. On SQLite, triggers refuse UPDATE and DELETE issued outside the ORM.
"""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from ocds_pages.management.commands.privilegios_aplicacion import grant_statements
from ocds_pages.models import ProcessProjection, Record, Release
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="TRUNCATE, triggers por sentencia y roles existen sólo en PostgreSQL",
)

APP_ROLE = "compra_app_prueba_guardas"


def publish_one():
    entity = make_entity()
    return publish_release(
        release=make_tender_release(ocid=own_ocid(entity), entity=entity), entity=entity
    )


def refused(sql, match):
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_raw_sql_update_and_delete_are_refused_by_the_database():
    release = publish_one()
    refused("UPDATE ocds_pages_release SET data = '{}'", "inmutables")
    refused("DELETE FROM ocds_pages_release", "inmutables")
    assert Release.objects.get(pk=release.pk).data == release.data


@postgresql_only
@pytest.mark.parametrize("suffix", ["", " CASCADE"])
def test_truncate_is_refused_and_nothing_is_orphaned(suffix):
    release = publish_one()
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks that TRUNCATE would trip on
        # before reaching the trigger; a real TRUNCATE runs in a transaction of its own.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    refused(f"TRUNCATE ocds_pages_release{suffix}", "inmutables: TRUNCATE")
    assert Release.objects.filter(pk=release.pk).exists()
    assert Record.objects.filter(ocid=release.ocid).exists()
    assert ProcessProjection.objects.filter(ocid=release.ocid).exists()


@pytest.fixture
def application_role():
    """A role like the one docs/instalacion.md creates, with the command's privileges."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        for statement in grant_statements(APP_ROLE):
            cursor.execute(statement)
    yield APP_ROLE
    # The test's transaction is rolled back, role and grants included (PostgreSQL DDL is
    # transactional), so nothing is left in the cluster.


@postgresql_only
def test_the_application_role_publishes_but_cannot_truncate_or_disable_the_guard(
    application_role,
):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {application_role}")
    try:
        release = publish_one()  # the application works as this role
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        refused("TRUNCATE ocds_pages_release", "permission denied|permiso denegado")
        refused(
            "ALTER TABLE ocds_pages_release DISABLE TRIGGER ocds_pages_release_no_truncate",
            "must be owner|debe ser dueño",
        )
        refused("DELETE FROM ocds_pages_release", "permission denied|permiso denegado")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert Release.objects.filter(pk=release.pk).exists()


@postgresql_only
def test_privileges_command_prints_the_sql_it_would_run(capsys):
    call_command("privilegios_aplicacion", "compra_app")
    out = capsys.readouterr().out
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON ocds_pages_release FROM "compra_app";' in out
    assert "ALTER DEFAULT PRIVILEGES" in out
