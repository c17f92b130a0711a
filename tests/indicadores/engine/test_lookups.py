"""``field__among`` (indicadores/engine/lookups.py): the rows of ``field__in``, one array on
PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext, register_lookup

from cms.models import Entity, PurchasingUnit
from indicadores.engine.lookups import array_text
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


def test_among_compares_whole_values_not_cut_to_the_column(entities):
    """A value longer than the column never matches its prefix (a cast to varchar(n)[] would
    cut it), and a transform before the lookup applies to the column."""
    first = entities[0]
    first.name = "A" * 255
    first.save()
    assert not Entity.objects.filter(name__among=["A" * 260]).exists()
    assert list(Entity.objects.filter(name__among=["A" * 255])) == [first]
    with register_lookup(CharField, Lower):
        assert list(Entity.objects.filter(name__lower__among=["a" * 255])) == [first]


def test_among_matches_texts_with_the_array_syntax_in_them(entities):
    """The array goes as its text on PostgreSQL: quotes, backslashes, commas, braces, spaces,
    the word NULL and accents in a value are the value, not the syntax."""
    names = ['Comercial "El Águila", S.A.', "C:\\ruta\\", "{llaves}", " NULL ", "NULL", "a,b"]
    for entity, name in zip(entities, names[:3], strict=True):
        entity.name = name
        entity.save()
    found = Entity.objects.filter(name__among=names).values_list("name", flat=True)
    assert sorted(found) == sorted(names[:3])
    assert not Entity.objects.filter(name__among=names[3:]).exists()


def test_array_text_quotes_every_text_and_leaves_other_types_to_psycopg():
    assert array_text(["a", 'b"c', "d\\e", 7]) == '{"a","b\\"c","d\\\\e",7}'
    dates = [datetime.date(2026, 1, 1)]
    assert array_text(dates) is dates
    assert array_text([True]) == [True]  # a bool is not written as an integer
