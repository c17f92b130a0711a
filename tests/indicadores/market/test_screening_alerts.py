"""The alerts in a candidate's integrity screening: one finding per indicator and status, with how
many alerts and the latest (a supplier may have thousands), only of the entities asked for."""

import pytest

from indicadores.market import screening
from indicadores.models import Alert, AlertStatus
from tests.factories import make_entity, make_unit
from tests.indicadores.alert_helpers import compute, new_ocid, sanction, single_bid
from tests.indicadores.market.helpers import SUPPLIER_A

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts():
    """Three processes of IMSS with MX-SANC on supplier A (one confirmed), one of SEP."""
    imss = make_entity()
    unit = make_unit(imss)
    for _n in range(3):
        compute(new_ocid(imss), imss, unit, sanction())
    sep = make_entity(key="SEP", name="SEP", rfc="SEP210905778")
    compute(new_ocid(sep), sep, make_unit(sep), sanction(), single_bid())
    first = Alert.objects.filter(entity=imss, code="MX-SANC").earliest("pk")
    Alert.objects.filter(pk=first.pk).update(status=AlertStatus.CONFIRMED)
    return imss, sep


def findings(entity_ids):
    party = screening.party_of(SUPPLIER_A[0], SUPPLIER_A[2], SUPPLIER_A[1])
    found = screening.screen({"a": party}, entity_ids=entity_ids)["a"].findings
    return [f for f in found if f.code == "ALERTA"]


def test_alerts_are_grouped_by_indicator_and_status_with_count_and_latest(alerts):
    imss, _sep = alerts
    grouped = findings({imss.pk})
    # Ordered by indicator, then status as stored («abierta» before «confirmada»).
    assert [(f.evidence["status"], f.evidence["alerts"]) for f in grouped] == [
        (AlertStatus.OPEN, 2),
        (AlertStatus.CONFIRMED, 1),
    ]
    open_group = next(f for f in grouped if f.evidence["alerts"] == 2)
    latest = Alert.objects.filter(entity=imss, code="MX-SANC").latest("pk")
    assert open_group.evidence["alert"] == latest.pk
    assert open_group.link == f"/tramite/alertas/{latest.pk}/"
    assert open_group.explanation.startswith("2 alertas MX-SANC en estado «abierta»")
    assert latest.ocid in open_group.explanation
    single = next(f for f in grouped if f.evidence["alerts"] == 1)
    assert single.explanation.startswith("Alerta MX-SANC confirmada en ")


def test_only_the_entities_asked_for_and_all_for_the_national_view(alerts):
    imss, sep = alerts
    assert sum(f.evidence["alerts"] for f in findings({sep.pk})) == 1
    assert sum(f.evidence["alerts"] for f in findings(None)) == 4
    assert findings({make_entity(key="SHCP", name="SHCP", rfc="SHC820101AB1").pk}) == []


def test_screening_queries_do_not_grow_with_alerts(alerts, django_assert_max_num_queries):
    imss, _sep = alerts
    party = screening.party_of(SUPPLIER_A[0], SUPPLIER_A[2], SUPPLIER_A[1])
    with django_assert_max_num_queries(12) as captured:
        screening.screen({"a": party}, entity_ids={imss.pk})
    before = len(captured)
    unit = make_unit(imss, key="U2")
    for _n in range(5):
        compute(new_ocid(imss), imss, unit, sanction())
    with django_assert_max_num_queries(before):
        screening.screen({"a": party}, entity_ids={imss.pk})
