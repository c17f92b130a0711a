"""Reads of the monitoring rows: who sees which contracts, and the filters every screen shares."""

from django.db.models import Q, QuerySet

from cms.tenancy import entity_ids_for
from indicadores.monitoring.choices import ContractStatus
from indicadores.monitoring.models import MonitoredContract

# A status that is a finding is matched on its flag (a contract both late and over-paid is listed
# under both); the two calm ones on the headline status.
STATUS_FLAGS = {
    ContractStatus.OVERPAID: "overpaid",
    ContractStatus.PAID_AHEAD: "paid_ahead",
    ContractStatus.OVERDUE: "overdue",
    ContractStatus.OVER_AMENDED: "over_amended",
    ContractStatus.AT_RISK: "at_risk",
}


def with_status(queryset: QuerySet, status: str) -> QuerySet:
    flag = STATUS_FLAGS.get(status)
    return queryset.filter(**{flag: True}) if flag else queryset.filter(status=status)


def with_supplier(queryset: QuerySet, text: str) -> QuerySet:
    """An RFC (exact, any case) or a part of the supplier's name."""
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(supplier_rfc=text.upper()) | Q(supplier_name__icontains=text))


def for_token(token) -> QuerySet:
    """The contracts an API token's full view covers: a person's entities (every entity for the
    national administrator); a client's entity, or every entity for a national client."""
    contracts = MonitoredContract.objects.all()
    if token.user_id is not None:
        allowed = entity_ids_for(token.user)
        return contracts if allowed is None else contracts.filter(entity_id__in=allowed)
    entity_id = token.application.entity_id
    return contracts if entity_id is None else contracts.filter(entity_id=entity_id)


def is_persona_fisica(rfc: str) -> bool:
    """A person's RFC has 13 characters (a company's, 12): personal data, not published."""
    return len(rfc) == 13
