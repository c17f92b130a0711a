import pytest

from ocds_pages.publication import ReleaseInvalid, publish_release
from ocds_pages.signals import release_published
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid


@pytest.fixture
def received():
    calls = []

    def listener(sender, **kwargs):
        calls.append(kwargs)

    release_published.connect(listener)
    yield calls
    release_published.disconnect(listener)


@pytest.mark.django_db
def test_release_published_is_sent_after_the_transaction_commits(
    received, django_capture_on_commit_callbacks
):
    entity = make_entity()
    ocid = own_ocid(entity)

    with django_capture_on_commit_callbacks(execute=True):
        stored = publish_release(
            release=make_tender_release(ocid=ocid, entity=entity), entity=entity
        )
        assert received == []

    assert [(call["ocid"], call["releases"], call["record"].ocid) for call in received] == [
        (ocid, [stored], ocid)
    ]


@pytest.mark.django_db
def test_no_signal_for_a_rejected_release(received, django_capture_on_commit_callbacks):
    entity = make_entity()
    release = make_tender_release(ocid=own_ocid(entity), entity=entity, tender={"status": "x"})

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReleaseInvalid):
        publish_release(release=release, entity=entity)

    assert received == []
