"""A custom field published in one process validates at once in another (no request, no sync).

The other process is ``manage.py importar_ocds``, started right after the form version is
published: it never serves a request and shares no memory with this one, so it can only know the
field from the database.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from ocds_pages.schema import project_extension_url
from tests.ocds_pages.factories import make_tender_release
from tests.workflows.factories import edit_spec, entity_copy, make_entity, new_field, publish

# Committed data: the other process cannot see this one's open transaction.
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]


def database_url(tmp_path: Path) -> str:
    """A URL through which another process reads this test's database."""
    if connection.vendor == "sqlite":
        # The SQLite test database lives in this process's memory: hand over a copy of it.
        copy = tmp_path / "compra.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def manage(*args, database: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def add_folio_field(spec):
    spec["fields"].append(
        new_field(
            "folio",
            "Folio de suficiencia presupuestal",
            "integer",
            "tender/folioSuficiencia",
            custom=True,
        )
    )


# The importer refuses this installation's own prefix (its records come only from publication),
# so the imported releases carry another publisher's registered prefix.
THIRD_PARTY_OCID = "ocds-7x9k2m-IMSS-00000"


def test_a_field_published_here_validates_at_once_in_another_process(tmp_path):
    # A transactional test before this one may have flushed the shipped forms; put them back.
    call_command("instalar_formularios", verbosity=0)
    entity = make_entity("IMSS", rfc="IMS421231I45", name="Instituto Mexicano del Seguro Social")
    definition = entity_copy(entity, "tender", "lp_nacional")
    edit_spec(definition, add_folio_field)
    publish(definition)
    releases = [
        make_tender_release(
            ocid=THIRD_PARTY_OCID + "1", entity=entity, tender={"folioSuficiencia": 1204}
        ),
        make_tender_release(
            ocid=THIRD_PARTY_OCID + "2",
            entity=entity,
            tender={"folioSuficiencia": "mil doscientos"},
        ),
    ]
    package = tmp_path / "entregas.json"
    # Imports validate against the extensions the package declares (issue 22, item 8): this
    # publisher declares ours, whose schema includes the field just published.
    package.write_text(
        json.dumps({"extensions": [project_extension_url()], "releases": releases}),
        encoding="utf-8",
    )

    result = manage(
        "importar_ocds", str(package), "--sin-progreso", database=database_url(tmp_path)
    )

    assert result.returncode == 0, result.stderr
    assert "Importadas: 1" in result.stdout
    assert "Inválidas: 1" in result.stdout
    assert "tender/folioSuficiencia: Se esperaba un número entero." in result.stderr
