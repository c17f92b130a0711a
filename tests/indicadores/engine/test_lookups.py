"""``field__among`` (indicadores/engine/lookups.py): the rows of ``field__in``, one array on
PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import Entity, PurchasingUnit
from tests.ocds_pages.factories import make_entity, make_unit


@pytest.fixture
def entities(db):
    return [make_entity(key=f"E{n}", name=f"Ente {n}", rfc=f"ENT0101010{n}A") for n in (1, 2, 3)]


def test_among_finds_the_rows_in_finds(entities):
    first, second, third = entities
    wanted = [second.pk, third.pk, third.pk, None]  # a repeat and a None, as IN allows
    among = Entity.objects.filter(pk__among=wanted)
    assert sorted(among.values_list("pk", flat=True)) == sorted([second.pk, third.pk])
    assert list(Entity.objects.exclude(pk__among=wanted)) == [first]
    names = [second.name, "nadie se llama así"]
    assert list(Entity.objects.filter(name__among=names)) == [second]
    # Across a relation, as the engine's queries use it (``process__ocid__among``).
    unit = make_unit(entity=first, key="U1")
    make_unit(entity=second, key="U2")
    assert list(PurchasingUnit.objects.filter(entity__name__among=[first.name])) == [unit]


def test_among_an_empty_list_matches_nothing(entities):
    assert not Entity.objects.filter(pk__among=[]).exists()
    assert not Entity.objects.filter(pk__among=[None]).exists()
    assert Entity.objects.exclude(pk__among=[]).count() == 3


def test_among_sends_one_array_on_postgresql_and_in_elsewhere(entities):
    keys = [entity.pk for entity in entities]
    with CaptureQueriesContext(connection) as queries:
        assert Entity.objects.filter(pk__among=keys).count() == 3
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
