import pytest
from django.db import DatabaseError, connection, transaction

from ocds_pages.models import AppendOnlyError, Release
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid


def publish_one():
    entity = make_entity()
    return publish_release(
        release=make_tender_release(ocid=own_ocid(entity), entity=entity), entity=entity
    )


@pytest.mark.django_db
def test_saving_a_stored_release_again_is_refused():
    release = publish_one()
    release.data = release.data.replace("Adquisición", "Compra")

    with pytest.raises(AppendOnlyError):
        release.save()

    assert "Adquisición" in Release.objects.get(pk=release.pk).data


@pytest.mark.django_db
def test_deleting_a_release_is_refused_one_by_one_and_in_bulk():
    release = publish_one()

    with pytest.raises(AppendOnlyError):
        release.delete()
    with pytest.raises(AppendOnlyError):
        Release.objects.filter(pk=release.pk).delete()
    with pytest.raises(AppendOnlyError):
        Release.objects.update(data="{}")

    assert Release.objects.filter(pk=release.pk, data=release.data).exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_raw_sql_update_is_refused_by_the_postgresql_trigger():
    release = publish_one()

    with (
        pytest.raises(DatabaseError, match="inmutables"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE ocds_pages_release SET data = '{}' WHERE id = %s", [release.pk])

    assert Release.objects.get(pk=release.pk).data == release.data


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_raw_sql_delete_is_refused_by_the_postgresql_trigger():
    release = publish_one()

    with (
        pytest.raises(DatabaseError, match="inmutables"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM ocds_pages_release WHERE id = %s", [release.pk])

    assert Release.objects.filter(pk=release.pk).exists()
