"""Reads of the alert screens and API: the queue with its filters, one alert's page data.

Every query starts from ``indicadores.permissions`` (scoped by cms.tenancy) and loads what a page
shows in a fixed number of queries, whatever the number of rows (docs/arquitectura.md §5).
"""

from datetime import datetime, time, timedelta

from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from cms.models import PurchasingUnit
from indicadores.alerts import allowed_targets
from indicadores.evidence import readable
from indicadores.outcomes import SEVERITY_ORDER
from ocds_pages.models import Record
from ocds_pages.party_keys import normalise_name
from workflows.processes.process_models import ContractingProcess, IntegrityOverride

SEVERITY_RANK = Case(
    *(When(severity=severity, then=Value(rank)) for severity, rank in SEVERITY_ORDER.items()),
    default=Value(len(SEVERITY_ORDER)),
    output_field=IntegerField(),
)


def ordered(alerts):
    """Most severe first, then the most recently computed."""
    return alerts.annotate(severity_rank=SEVERITY_RANK).order_by(
        "severity_rank", "-last_computed_at", "-pk"
    )


def filtered(alerts, data: dict):
    """Apply the cleaned filters of ``AlertFilterForm`` (or of the API's ``query``)."""
    if data.get("unit"):
        alerts = alerts.filter(unit=data["unit"])
    if data.get("unit_key"):
        alerts = alerts.filter(unit__key=data["unit_key"])
    if data.get("entity_key"):
        alerts = alerts.filter(entity__key=data["entity_key"])
    for field in ("code", "severity", "status", "ocid"):
        if data.get(field):
            alerts = alerts.filter(**{field: data[field]})
    if data.get("supplier"):
        term = data["supplier"].strip()
        alerts = alerts.filter(
            Q(supplier_key__contains=normalise_name(term)) | Q(supplier_key__contains=term.upper())
        )
    if data.get("since"):
        alerts = alerts.filter(first_computed_at__gte=_day_start(data["since"]))
    if data.get("until"):
        alerts = alerts.filter(first_computed_at__lt=_day_start(data["until"] + timedelta(days=1)))
    return alerts


def _day_start(day):
    # Aware bounds instead of a __date lookup, so the (entity, first_computed_at) index serves.
    return timezone.make_aware(datetime.combine(day, time.min))


def queue_rows(alerts):
    return ordered(alerts).select_related("unit", "assigned_to")


def alert_units(alerts):
    """The purchasing units that have alerts among ``alerts`` (the queue's unit filter): a short
    list even for the national administrator, who would otherwise get every unit of the country."""
    return PurchasingUnit.objects.filter(pk__in=alerts.values("unit")).order_by("entity_id", "key")


def codes_in(alerts) -> list[str]:
    return list(alerts.order_by("code").values_list("code", flat=True).distinct())


def process_links(alert) -> list[tuple[str, str]]:
    """The staff page of the process (if it was captured here) and its public page (if any)."""
    links = []
    process = ContractingProcess.objects.filter(ocid=alert.ocid).only("pk").first()
    if process is not None:
        links.append(("staff", reverse("workflows:process-detail", args=[process.pk])))
    if Record.objects.filter(ocid=alert.ocid).exists():
        links.append(("public", reverse("ocds_pages:process", args=[alert.ocid])))
    return links


def approver_justifications(alert):
    """Why approvers published over this same finding (workflows' IntegrityOverride), oldest
    first: the OIC reads what each approver saw and wrote."""
    return (
        IntegrityOverride.objects.filter(
            contracting_process__ocid=alert.ocid, code=alert.code, subject=alert.subject
        )
        .select_related("user", "stage_process")
        .order_by("at", "pk")
    )


def detail(alert) -> dict:
    return {
        "justifications": approver_justifications(alert),
        "alert": alert,
        "evidence": readable(alert.evidence),
        "events": alert.events.select_related("actor"),
        "process_links": dict(process_links(alert)),
        "targets": allowed_targets(alert),
    }
