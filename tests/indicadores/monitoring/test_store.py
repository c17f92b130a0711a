"""The stored rows follow each publication and each run of calcular_indicadores."""

from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from indicadores.engine import bulk
from indicadores.engine.core import Context
from indicadores.engine.runner import view_of_record
from indicadores.models import Alert, MonitoredContract, MonitoredEvent
from indicadores.monitoring import store
from indicadores.monitoring.choices import ContractStatus as S
from indicadores.monitoring.indicators import states_of
from ocds_pages.models import Record
from tests.indicadores.monitoring.contracts import day, milestone, payment, publish_contract
from tests.ocds_pages.factories import make_entity, make_unit


def publish(entity, unit, serial, implementation):
    return publish_contract(entity, serial, implementation, unit=unit)


def test_publication_stores_the_contract_state(db, django_capture_on_commit_callbacks):
    entity = make_entity()
    unit = make_unit(entity=entity)
    today = timezone.localdate()
    implementation = {
        "milestones": [milestone(1, day(-20, today)), milestone(2, day(40, today))],
        "transactions": [payment(1, day(-2, today), 300_000)],
    }
    with django_capture_on_commit_callbacks(execute=True):
        ocid = publish(entity, unit, 1, implementation)
    row = MonitoredContract.objects.get(ocid=ocid)
    assert row.status == S.PAID_AHEAD  # 30 % paid, nothing delivered
    assert row.overdue and row.paid_ahead and not row.overpaid
    assert (row.entity, row.unit, row.days_overdue) == (entity, unit, 20)
    assert row.paid == Decimal("300000") and row.financial == Decimal("0.3")
    assert row.supplier_rfc == "MME920427EM3"
    assert row.detail["milestones"][0]["title"] == "Entrega 1"
    assert list(MonitoredEvent.objects.values_list("kind", "amount")) == [
        ("pago", Decimal("300000"))
    ]
    # The alert system heard of it too, through the indicators.
    codes = set(Alert.objects.filter(ocid=ocid).values_list("code", flat=True))
    assert {"MX-OVERDUE", "MX-PAYAHEAD"} <= codes and "MX-OVERPAY" not in codes


def test_calcular_indicadores_recomputes_every_contract(db):
    entity = make_entity()
    today = timezone.localdate()
    on_time = {"milestones": [milestone(1, day(30, today))], "transactions": []}
    met = {
        "milestones": [milestone(1, day(-30, today), day(-31, today))],
        "transactions": [payment(1, day(-20, today), 1_000_000)],
    }
    first, second = publish(entity, None, 1, on_time), publish(entity, None, 2, met)
    MonitoredContract.objects.all().delete()  # as if published before monitoring existed
    call_command("calcular_indicadores", "--sin-progreso", "--sin-alertas", stdout=None)
    statuses = dict(MonitoredContract.objects.values_list("ocid", "status"))
    assert statuses == {first: S.AT_RISK, second: S.ON_TIME}, statuses
    deliveries = MonitoredEvent.objects.filter(kind="entrega").values_list("amount", flat=True)
    assert list(deliveries) == [Decimal("1000000")]
    call_command("calcular_indicadores", "--sin-progreso", "--sin-alertas", stdout=None)
    assert MonitoredContract.objects.count() == 2  # replaced, not duplicated


def test_a_contract_digest_is_the_digest_of_its_row(db, django_capture_on_commit_callbacks):
    """The night compares digests computed from the columns alone, without building the row:
    they must be what ``bulk.row_fingerprint`` of the row gives, the digest rows were stored
    with before (otherwise every contract would be rewritten once after upgrading)."""
    entity = make_entity()
    today = timezone.localdate()
    implementation = {
        "milestones": [milestone(1, day(-30, today), day(-31, today))],
        "transactions": [payment(1, day(-20, today), 1_000_000)],
    }
    with django_capture_on_commit_callbacks(execute=True):
        ocid = publish(entity, None, 1, implementation)
    stored = MonitoredContract.objects.get(ocid=ocid)
    view = view_of_record(Record.objects.get(ocid=ocid))
    (state,) = states_of(view, Context([view]))
    values, happenings = store._values(view, stored.record_id, state), store._happenings(state)
    assert [(kind, amount) for kind, _date, amount in happenings] == [
        ("pago", Decimal("1000000")),
        ("entrega", Decimal("1000000")),
    ]
    names = [
        f.name
        for f in MonitoredContract._meta.concrete_fields
        if not f.primary_key and f.name not in ("assessed_on", "digest")
    ]
    row = MonitoredContract(**values)
    expected = bulk.fingerprint(bulk.row_fingerprint(row, names), happenings)
    assert store._fingerprint(values, happenings) == expected == stored.digest
