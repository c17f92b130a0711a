"""Upgrading keeps the data (issue 21, item 6; docs/instalacion.md §17): a database at the
migration state of the previous release, with rows in the tables people fill, is migrated forward
with Django's own executor — what `manage.py migrate` does in step 4 — and every row is still there.

The previous release is 0.2.0 (CHANGELOG.md). The repository has no tags; 0.2.0 is commit 3f4bd9a
(«CHANGELOG.md and version 0.2.0»), whose last migration of each app is below. When a release is
cut, its line replaces this one.

PostgreSQL only: the production database, and the one where going back is faithful. On SQLite,
taking a JSON column away rebuilds the table, which drops the append-only triggers of the
releases (ocds_pages migrations 0002 and 0011) for every test that runs after this one.
"""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cms.models import Entity, Job, Membership, PurchasingUnit
from indicadores.models import Alert
from ocds_pages.models import Record, Release

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="see the module's docstring"),
]

PREVIOUS_RELEASE = "0.2.0"
RELEASE_MIGRATIONS = {
    "cms": "0007_jobs",
    "ocds_pages": "0011_release_truncate_guard",
    "workflows": "0012_dictamen_document_type",
    "integraciones": "0001_initial",
    "indicadores": "0005_thresholds_and_holidays",
}
WHEN = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
OCID = "ocds-prueba-ANT-00001"
RELEASE_DATA = json.dumps(
    {"ocid": OCID, "id": f"{OCID}-planning-1", "date": WHEN.isoformat(), "tag": ["planning"]},
    ensure_ascii=False,
)


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def fill_as_the_release_did(apps):
    """Rows written with the release's own models (its historical state), not today's."""
    entity = apps.get_model("cms", "Entity").objects.create(
        key="ANT", name="Ente de la versión anterior", acronym="ANT", level="federal"
    )
    unit = apps.get_model("cms", "PurchasingUnit").objects.create(
        entity=entity, key="UC0000001", name="Unidad de compras anterior"
    )
    user = apps.get_model("auth", "User").objects.create(
        username="capturista.ant", password="!", email="capturista@ant.gob.mx"
    )
    apps.get_model("cms", "Membership").objects.create(
        user=user, entity=entity, unit=unit, role="capturista"
    )
    release = apps.get_model("ocds_pages", "Release").objects.create(
        ocid=OCID,
        release_id=f"{OCID}-planning-1",
        date=WHEN,
        tags=["planning"],
        data=RELEASE_DATA,
        entity=entity,
        unit=unit,
    )
    apps.get_model("ocds_pages", "Record").objects.create(
        ocid=OCID,
        entity=entity,
        unit=unit,
        compiled_release=RELEASE_DATA,
        versioned_release="{}",
        release_count=1,
        last_release_date=WHEN,
    )
    apps.get_model("cms", "Job").objects.create(
        kind="indicadores.calcular",
        status="done",
        parameters={"entity": "ANT"},
        requested_by=user,
        entity=entity,
        progress_done=12,
        progress_total=12,
        summary="12 procesos evaluados.",
    )
    apps.get_model("indicadores", "Alert").objects.create(
        entity=entity,
        unit=unit,
        ocid=OCID,
        code="adjudicacion_directa_fraccionada",
        version=1,
        subject="",
        severity="high",
        explanation="Tres adjudicaciones directas al mismo proveedor en un mes.",
        evidence={"procesos": [OCID]},
        first_computed_at=WHEN,
        last_computed_at=WHEN,
    )
    return release.pk


def test_a_database_of_the_previous_release_keeps_its_data_when_migrated_forward():
    release_state = list(RELEASE_MIGRATIONS.items())
    newest = latest()
    try:
        historical = migrate_to(release_state)
        release_pk = fill_as_the_release_did(historical)
        migrate_to(newest)
    finally:
        # Whatever happened, the test database goes back to today's schema for the next tests.
        migrate_to(newest)

    entity = Entity.objects.get(key="ANT")
    assert entity.name == "Ente de la versión anterior"
    assert PurchasingUnit.objects.get(entity=entity).key == "UC0000001"
    membership = Membership.objects.get(entity=entity)
    assert (membership.user.username, membership.role) == ("capturista.ant", "capturista")
    assert get_user_model().objects.get(username="capturista.ant").email == "capturista@ant.gob.mx"
    release = Release.objects.get(pk=release_pk)
    assert (release.ocid, release.data, release.tags) == (OCID, RELEASE_DATA, ["planning"])
    assert release.extensions is None  # added after the release: empty for its own releases
    record = Record.objects.get(ocid=OCID)
    assert (record.compiled_release, record.release_count) == (RELEASE_DATA, 1)
    job = Job.objects.get(entity=entity)
    assert (job.status, job.progress_done, job.summary) == ("done", 12, "12 procesos evaluados.")
    alert = Alert.objects.get(ocid=OCID)
    assert alert.evidence == {"procesos": [OCID]} and alert.status == "abierta"


def test_the_release_state_is_behind_today_so_the_upgrade_really_migrates():
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(latest(), clean_start=True)
    release_nodes = {
        node
        for app, name in RELEASE_MIGRATIONS.items()
        for node in executor.loader.graph.forwards_plan((app, name))
    }
    newer = [migration for migration, _ in plan if migration.app_label in RELEASE_MIGRATIONS]
    assert any((m.app_label, m.name) not in release_nodes for m in newer)
