"""A recompute writes alerts a batch at a time: the queries do not grow with the processes, the
lifecycle is the same as one process at a time, and each entity's OIC gets one notice."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from cms.models import Membership
from cms.roles import Role
from indicadores import alerts, notifications
from indicadores.alerts import Evaluation, record_batch
from indicadores.models import Alert, EventKind, Notification
from indicadores.outcomes import OutcomeStatus
from tests.factories import make_entity, make_member, make_unit
from tests.indicadores.alert_helpers import compute, new_ocid, sanction, single_bid
from tests.indicadores.fake_smtp import smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity():
    return make_entity()


@pytest.fixture
def oic(entity):
    user = make_member(Role.OIC, entity)
    user.email = "oic@ente.gob.mx"
    user.save()
    return user


def evaluations(entity, count, *outcomes):
    unit = make_unit(entity)
    now = timezone.now()
    return [
        Evaluation(new_ocid(entity), entity.pk, unit.pk, list(outcomes), now)
        for _number in range(count)
    ]


def again(batch, *outcomes):
    return [
        Evaluation(e.ocid, e.entity_id, e.unit_id, list(outcomes), timezone.now()) for e in batch
    ]


# (12 processes: SQLite splits an INSERT above 999 parameters; PostgreSQL never does here.)
@pytest.mark.parametrize("count", [2, 12])
def test_a_batch_costs_the_same_queries_whatever_its_size(entity, count, django_assert_num_queries):
    batch = evaluations(entity, count, sanction(), single_bid())
    # opening: which alerts exist (locked), the suppliers, the alerts, their events; then the
    # risk dashboard's alert counts move (indicadores/risk/counts.py): the processes' index
    # rows, one INSERT … ON CONFLICT of the summed cells. PostgreSQL draws the alerts' keys
    # first and COPYs alerts and events (indicadores/engine/bulk.py, bulk_insert).
    keys = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(4 + keys + 2 + 2):  # + the savepoint of the transaction
        raised = record_batch(batch)
    assert len(raised) == 2 * count
    # the same results again: the alerts' digests, one UPDATE of the dates for all
    with django_assert_num_queries(2 + 2):
        assert record_batch(again(batch, sanction(), single_bid())) == []
    # no longer flagged: the digests, the changing alerts (locked), one bulk UPDATE, one INSERT
    # of the events, the others re-dated
    with django_assert_num_queries(5 + 2):
        record_batch(again(batch, sanction(status=OutcomeStatus.NOT_FLAGGED), single_bid()))
    assert Alert.objects.filter(still_flagged=False).count() == count
    # nothing flagged and no alert: one query and no transaction
    clean = evaluations(entity, count, sanction(status=OutcomeStatus.NOT_FLAGGED))
    with django_assert_num_queries(1):
        record_batch(clean)


def test_a_repeated_finding_is_recognised_by_its_digest(entity, django_assert_num_queries):
    batch = evaluations(entity, 2, sanction())
    record_batch(batch)
    [first, second] = Alert.objects.order_by("pk")
    assert first.digest == alerts.digest(sanction()) and len(first.digest) == 32
    # An alert stored before alerts kept a digest is compared whole once, and given its digest
    # without an event; the other is only re-dated.
    Alert.objects.filter(pk=first.pk).update(digest="")
    record_batch(again(batch, sanction()))
    first.refresh_from_db()
    assert first.digest == alerts.digest(sanction())
    assert [a.events.count() for a in (first, second)] == [1, 1]
    assert first.last_computed_at > first.first_computed_at
    # A digest that differs (another version, explanation or evidence) is a change.
    newer = sanction(evidence={**first.evidence, "amount": 1})
    assert alerts.digest(newer) != first.digest
    record_batch(again(batch, newer))
    kinds = first.events.values_list("kind", flat=True)
    assert sorted(kinds) == sorted([EventKind.OPENED, EventKind.RECOMPUTED])
    with django_assert_num_queries(2 + 2):  # the digests, the dates
        record_batch(again(batch, newer))


@contextmanager
def publication(action):
    """Run ``action`` in a transaction of another connection (a publication) and keep that
    transaction open inside the block; it commits on leaving."""
    done, ready = threading.Event(), threading.Event()

    def work():
        try:
            with transaction.atomic():
                action()
                ready.set()
                done.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    assert ready.wait(10)
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_repeated_alert_another_writer_holds_is_not_waited_for(entity):
    """Repeated alerts are re-dated without the primary-key-ordered lock of the changing ones;
    waiting for one held by a publication could close a cycle, so it is skipped (its writer
    dates it)."""
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time")
    batch = evaluations(entity, 2, sanction())
    record_batch(batch)
    held, free = Alert.objects.order_by("pk")
    with publication(lambda: Alert.objects.select_for_update().get(pk=held.pk)):
        record_batch(again(batch, sanction()))  # returns at once: nothing waits for the lock
    assert Alert.objects.get(pk=held.pk).last_computed_at == held.last_computed_at
    assert Alert.objects.get(pk=free.pk).last_computed_at > free.last_computed_at


@pytest.mark.django_db(transaction=True)
def test_an_alert_a_publication_opens_meanwhile_is_seen_on_the_retry(entity):
    """A publication opens the same alert while a recompute's batch writes it: the batch's
    insert waits for the publication's transaction, fails on the unique finding (Django's
    IntegrityError, also from PostgreSQL's COPY) and the batch is applied again seeing it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the two cannot overlap")
    [evaluation] = evaluations(entity, 1, sanction())
    result = []

    def recompute():
        result.append(record_batch(again([evaluation], sanction())))
        connection.close()

    writer = threading.Thread(target=recompute)
    with publication(lambda: record_batch([evaluation])):
        writer.start()
        # The recompute did not see the uncommitted alert, so its insert waits for it.
        assert _waits_for_a_lock(), "the recompute's insert never waited for the publication"
    writer.join(30)
    assert result == [[]]  # nothing opened by the recompute: it found the alert and re-dated it
    alert = Alert.objects.get()
    assert list(alert.events.values_list("kind", flat=True)) == [EventKind.OPENED]


def _waits_for_a_lock(seconds: float = 10) -> bool:
    """Whether another connection to this database comes to wait for a lock."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def test_a_batch_keeps_the_lifecycle_of_one_process_at_a_time(entity, oic):
    [kept, dismissed] = evaluations(entity, 2, sanction())
    record_batch([kept, dismissed])
    alert = Alert.objects.get(ocid=dismissed.ocid)
    alerts.change_status(alert=alert, user=oic, to_status="en_revision")
    alerts.change_status(alert=alert, user=oic, to_status="descartada", text="Homónimo.")
    changed = {
        **alert.evidence,
        "registry": {**alert.evidence["registry"], "match_kind": "curp_exact"},
    }
    raised = record_batch(
        [*again([kept], sanction()), *again([dismissed], sanction(evidence=changed))]
    )
    assert [(e.ocid, a.status) for e, a in raised] == [(dismissed.ocid, "abierta")]
    alert.refresh_from_db()
    kinds = list(alert.events.values_list("kind", flat=True))
    assert kinds == [EventKind.OPENED, "estado", "estado", EventKind.REOPENED]
    assert Alert.objects.get(ocid=kept.ocid).events.count() == 1  # unchanged: no new event


def test_a_recompute_notifies_each_entity_once(entity, oic, django_capture_on_commit_callbacks):
    unit = make_unit(entity)
    other = make_entity()
    make_member(Role.OIC, other)
    with django_capture_on_commit_callbacks(execute=True), alerts.collecting():
        for _number in range(3):
            compute(new_ocid(entity), entity, unit, sanction(), single_bid())
        compute(new_ocid(other), other, None, sanction())
        assert not Alert.objects.exists()  # buffered until the batch is written
    assert Alert.objects.count() == 7
    notice = Notification.objects.get(recipient=oic)
    assert "6 alertas" in notice.message and "3 procesos" in notice.message
    assert "MX-SANC, MX-SINGLE-BID" in notice.message
    # The other entity's single process gets the usual notice, naming it.
    lone = Notification.objects.exclude(recipient=oic).get()
    assert lone.url.startswith("/tramite/alertas/") and "MX-SANC" in lone.message
    assert len(mail.outbox) == 1  # only the OIC with an address


def test_the_notices_of_many_entities_go_out_together(
    entity, oic, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """``notify_oics``: each entity's active OICs (on a unit too, once each), whatever the
    number of entities: one query for the recipients and one INSERT."""
    other = make_entity()
    on_unit = make_member(Role.OIC, other, unit=make_unit(other))
    Membership.objects.create(user=on_unit, entity=other, role=Role.OIC)  # twice in one entity
    gone = make_member(Role.OIC, other)
    gone.is_active = False
    gone.save()
    make_member(Role.OIC, make_entity())  # an entity without notices
    notices = [
        (entity.pk, "Tres alertas", "/tramite/alertas/", None),
        (other.pk, "Una alerta", "/tramite/alertas/?ocid=x", None),
    ]
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(2):
        notifications.notify_oics(notices)
    received = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.message) for n in received] == [
        (oic, "Tres alertas"),
        (on_unit, "Una alerta"),
    ]
    assert [message.to for message in mail.outbox] == [["oic@ente.gob.mx"]]


def test_a_refused_address_does_not_stop_the_other_entities_mail(
    entity, oic, settings, django_capture_on_commit_callbacks
):
    """All the notices go through one connection, but each entity's mail on its own: a
    mailbox the server refuses loses only its own message."""
    other, third = make_entity(), make_entity()
    for person, address in (
        (make_member(Role.OIC, other), "baja@ente.gob.mx"),
        (make_member(Role.OIC, third), "oic@otro.gob.mx"),
    ):
        person.email = address
        person.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    notices = [(e.pk, "Alertas", "/tramite/alertas/", None) for e in (entity, other, third)]
    with smtp_server(refused={"baja@ente.gob.mx"}) as (port, received):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify_oics(notices)
    assert received == [["oic@ente.gob.mx"], ["oic@otro.gob.mx"]]
    assert Notification.objects.count() == 3  # the in-app notices, whatever the mail did


def test_a_dry_run_collects_nothing(entity):
    with alerts.collecting(send=False):
        compute(new_ocid(entity), entity, None, sanction())
    assert Alert.objects.count() == 1  # written at once, as outside a recompute


@pytest.mark.django_db
def test_alert_pages_keep_room_for_the_nightly_re_dating():
    """Migration 0017: with room in its page, renewing an alert's date is a heap-only update
    that touches none of its fourteen indexes (docs/benchmarks.md, «Motor de indicadores»)."""
    if connection.vendor != "postgresql":
        pytest.skip("fillfactor is a PostgreSQL storage parameter")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Alert._meta.db_table])
        (options,) = cursor.fetchone()
    assert "fillfactor=70" in options
