"""The demo has contracts in every monitoring status (issue 19)."""

import pytest
from django.core.management import call_command

from cms.models import Entity, PurchasingUnit
from indicadores.models import MonitoredContract
from indicadores.monitoring.choices import ContractStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_status_is_in_the_demo():
    entity = Entity.objects.create(
        key="IMSS", name="Instituto Mexicano del Seguro Social", level="federal", rfc="IMS421231I45"
    )
    PurchasingUnit.objects.create(entity=entity, key="UC-1", name="Abastecimiento")
    call_command("cargar_demo_seguimiento", stdout=None)
    statuses = set(MonitoredContract.objects.values_list("status", flat=True))
    assert statuses == set(ContractStatus.values)
    assert MonitoredContract.objects.filter(guarantee_warning="vencida").exists()
    call_command("cargar_demo_seguimiento", stdout=None)  # once only
    assert MonitoredContract.objects.count() == 9
