"""Deadlines of open processes, checked by a scheduled command (``manage.py revisar_plazos``).

Open-source viewflow has no Celery timers; its ``workflow_timers`` command only fires Timer nodes,
and our deadlines come from published data (the tender period, the contract period, milestone due
dates), not from flow nodes. So a cron job runs ``revisar_plazos`` (every hour is plenty): it
reads each open process's compiled record and leaves a notice in the process history, once per
deadline, which the capturistas of the unit see in their inbox.
"""

from dataclasses import dataclass
from datetime import datetime

import orjson
from django.utils import timezone
from django.utils.translation import gettext as _

from ocds_pages.models import Record
from ocds_pages.validation import parse_datetime
from workflows.processes import audit
from workflows.processes.process_models import AuditAction, AuditEntry, ContractingProcess


@dataclass(frozen=True)
class Notice:
    key: str
    message: str


def check_deadlines(*, now: datetime | None = None) -> list[AuditEntry]:
    """Record a notice for every deadline passed since the last run; returns the new ones."""
    now = now or timezone.now()
    records = dict(Record.objects.values_list("ocid", "compiled_release"))
    created = []
    for process in ContractingProcess.objects.filter(closed=False):
        compiled = records.get(process.ocid)
        if compiled is None:
            continue
        for notice in notices_for(orjson.loads(compiled), now=now):
            created += _record_once(process, notice)
    return created


def _record_once(process, notice: Notice) -> list[AuditEntry]:
    if process.audit_entries.filter(action=AuditAction.DEADLINE, key=notice.key).exists():
        return []
    entry = audit.record(
        process=process, action=AuditAction.DEADLINE, reason=notice.message, key=notice.key
    )
    return [entry]


def notices_for(compiled: dict, *, now: datetime) -> list[Notice]:
    return [
        *_tender_period_notices(compiled, now),
        *_contract_notices(compiled, now),
        *_milestone_notices(compiled, now),
    ]


def _passed(value, now) -> datetime | None:
    moment = parse_datetime(value)
    return moment if moment and moment <= now else None


def _tender_period_notices(compiled, now) -> list[Notice]:
    tender = compiled.get("tender") or {}
    end = _passed((tender.get("tenderPeriod") or {}).get("endDate"), now)
    if end is None or compiled.get("awards") or tender.get("status") != "active":
        return []
    return [
        Notice(
            f"tenderPeriod:{end.isoformat()}",
            _(
                "Terminó el periodo de presentación de proposiciones (%(date)s): registre el "
                "fallo o declare desierto el procedimiento."
            )
            % {"date": timezone.localtime(end).strftime("%d/%m/%Y %H:%M")},
        )
    ]


def _contract_notices(compiled, now) -> list[Notice]:
    notices = []
    for contract in compiled.get("contracts") or []:
        end = _passed((contract.get("period") or {}).get("endDate"), now)
        if end and contract.get("status") == "active":
            notices.append(
                Notice(
                    f"contract:{contract.get('id')}:{end.isoformat()}",
                    _(
                        "El contrato %(id)s terminó su vigencia el %(date)s: registre su "
                        "terminación o un convenio modificatorio."
                    )
                    % {
                        "id": contract.get("id"),
                        "date": timezone.localtime(end).strftime("%d/%m/%Y"),
                    },
                )
            )
    return notices


def _milestone_notices(compiled, now) -> list[Notice]:
    notices = []
    for contract in compiled.get("contracts") or []:
        milestones = (contract.get("implementation") or {}).get("milestones") or []
        for milestone in milestones:
            due = _passed(milestone.get("dueDate"), now)
            if (
                due
                and milestone.get("status") not in ("met", "notMet")
                and not milestone.get("dateMet")
            ):
                notices.append(_overdue(contract, milestone, due))
    return notices


def _overdue(contract, milestone, due) -> Notice:
    return Notice(
        f"milestone:{contract.get('id')}:{milestone.get('id')}:{due.isoformat()}",
        _("El hito «%(title)s» del contrato %(id)s venció el %(date)s sin cumplirse.")
        % {
            "title": milestone.get("title") or milestone.get("id"),
            "id": contract.get("id"),
            "date": timezone.localtime(due).strftime("%d/%m/%Y"),
        },
    )
