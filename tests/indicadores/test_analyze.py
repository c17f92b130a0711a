"""After a run, PostgreSQL's planner statistics of the tables it grew are fresh
(indicadores/recompute.py, ``analyze_written``); a night that hardly grows them leaves them to
autovacuum."""

import pytest
from django.core.management import call_command
from django.db import connection

from indicadores.recompute import analyze_written, grown
from indicadores.risk.models import ProcessRisk
from tests.factories import make_entity
from tests.publishing import publish_process

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's"),
]

TABLE = ProcessRisk._meta.db_table


def counted() -> tuple[int, float, int]:
    """(pages, rows) as PostgreSQL last counted the table, and how many times it analyzed it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT c.relpages, c.reltuples, s.analyze_count FROM pg_class c"
            " JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = %s::regclass",
            [TABLE],
        )
        return cursor.fetchone()


def test_a_run_counts_what_it_grew_and_a_night_leaves_it(django_capture_on_commit_callbacks):
    entity = make_entity()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            publish_process(entity, tenderers=1)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    # Rows added behind the planner's back: two hundred copies of a process row.
    rows = list(ProcessRisk.objects.all())
    for n in range(200):
        for row in rows:
            row.pk, row.ocid = None, f"{row.ocid[:100]}-copia-{n}"
        ProcessRisk.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        assert grown(cursor, TABLE)
    _pages, before, analyzed = counted()
    assert before < 600

    call_command("calcular_indicadores", "--sin-progreso", stdout=None)
    pages, after, analyzed_after = counted()
    assert after == ProcessRisk.objects.count() == 603
    assert analyzed_after == analyzed + 1

    # The next night adds nothing: the table is not analyzed again.
    with connection.cursor() as cursor:
        assert not grown(cursor, TABLE)
    analyze_written()
    assert counted() == (pages, after, analyzed_after)
