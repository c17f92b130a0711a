"""The alert lifecycle: recomputations open and update alerts; only people close them.

``record_outcomes`` is what the ``outcomes_computed`` receiver calls (indicadores/signals.py). A
flagged outcome opens the alert keyed by (ocid, code, subject) or updates it; an outcome that is no
longer flagged (or no longer computable) only leaves an event in the history — a flag is never
lowered silently (issue 15). The people's actions below check who may act, validate the input with
a Spanish message (``AlertError``), write the change and its event in one transaction, and notify.

Lifecycle: abierta → en revisión → descartada (justification required) / confirmada → turnada
(reference number required). A dismissed alert can be reopened by the OIC, and is reopened by a
recomputation that flags it on different evidence: the dismissal judged the old data.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicadores import notifications
from indicadores.engine import bulk
from indicadores.engine.core import VOLATILE_EVIDENCE_KEYS
from indicadores.models import Alert, AlertEvent, AlertStatus, EventKind
from indicadores.outcomes import Outcome, OutcomeStatus
from indicadores.permissions import may_answer, may_work
from indicadores.signals import alert_statuses_changed
from ocds_pages.models import SupplierProjection
from ocds_pages.party_keys import normalise_name

S = AlertStatus

# status → {target status: (needs text, needs reference number)}
TRANSITIONS = {
    S.OPEN: {S.IN_REVIEW: (False, False)},
    S.IN_REVIEW: {S.DISMISSED: (True, False), S.CONFIRMED: (False, False)},
    S.CONFIRMED: {S.REFERRED: (False, True)},
    S.DISMISSED: {S.IN_REVIEW: (True, False)},
    S.REFERRED: {},
}


class AlertError(Exception):
    """An action that cannot be done; ``message`` says why, in Spanish."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def allowed_targets(alert) -> list[str]:
    return list(TRANSITIONS[S(alert.status)])


def detail_url(alert) -> str:
    return reverse("indicadores:alert-detail", args=[alert.pk])


# --- recomputation (from outcomes_computed) ------------------------------------------------------

# Alerts written together while a recompute collects (calcular_indicadores, its job).
BATCH = 500


@dataclass
class Evaluation:
    """One evaluation of a process: the ``outcomes_computed`` arguments."""

    ocid: str
    entity_id: int
    unit_id: int | None
    outcomes: list
    computed_at: object
    suppliers: dict | None = None  # party id → (name, identifier), read once when needed


@dataclass
class _Writes:
    """What some evaluations change, written together: a few queries whatever their number."""

    opened: list = field(default_factory=list)  # (evaluation, new Alert, outcome)
    saved: dict = field(default_factory=dict)  # pk → existing Alert whose columns changed
    events: list = field(default_factory=list)  # AlertEvent of existing alerts
    unchanged: list = field(default_factory=list)  # pks of alerts only to re-date
    latest: object = None  # the newest computed_at of the evaluations
    raised: list = field(default_factory=list)  # (evaluation, alert) opened or reopened


SAVED_FIELDS = [
    "version",
    "digest",
    "severity",
    "explanation",
    "evidence",
    "links",
    "still_flagged",
    "last_computed_at",
    "status",
    "updated_at",
]


def record_outcomes(*, ocid, entity_id, unit_id, outcomes, computed_at=None) -> list[Alert]:
    """Apply one evaluation of a process to its alerts; the alerts opened or reopened.

    While a recompute collects (:func:`collecting`) the evaluation is only buffered and written
    with its batch; then nothing is returned here."""
    evaluation = Evaluation(ocid, entity_id, unit_id, list(outcomes), computed_at or timezone.now())
    collector = getattr(_local, "collector", None)
    if collector is not None:
        collector.add(evaluation)
        return []
    raised = record_batch([evaluation])
    if raised:
        _notify_raised(evaluation, [alert for _evaluation, alert in raised])
    return [alert for _evaluation, alert in raised]


def record_batch(evaluations: list[Evaluation]) -> list[tuple[Evaluation, Alert]]:
    """Apply many evaluations at once (one per process; a later one of the same process
    replaces an earlier); the (evaluation, alert) pairs opened or reopened. Nobody is notified
    here: the caller decides how (one notice per process, or per entity for a recompute)."""
    latest = {evaluation.ocid: evaluation for evaluation in evaluations}
    if not any(outcome.flagged for e in latest.values() for outcome in e.outcomes) and not (
        Alert.objects.filter(ocid__among=list(latest)).exists()
    ):
        # Most processes of a full recompute: nothing flagged and nothing to annotate. One
        # indexed query for the whole batch, no lock and no transaction.
        return []
    try:
        with transaction.atomic():
            return _apply(list(latest.values()))
    except IntegrityError:
        # A publication opened one of these alerts meanwhile: once more, now seeing it.
        with transaction.atomic():
            return _apply(list(latest.values()))


def _apply(evaluations: list[Evaluation]) -> list[tuple[Evaluation, Alert]]:
    """Plan and write the evaluations' changes. Each process's alerts are first read by their
    digest alone: a finding the recompute repeats (the usual case at night) is only re-dated,
    and only the alerts that change are read whole, locked."""
    known = _known([evaluation.ocid for evaluation in evaluations])
    writes = _Writes()
    rest = []  # (evaluation, outcome, pk of its alert or None): what changes
    for evaluation in evaluations:
        for outcome in evaluation.outcomes:
            stored = known.get((evaluation.ocid, *outcome.key))
            if stored is not None and _repeats(stored, outcome):
                _keep(writes, stored[0], evaluation)
            elif stored is not None or outcome.flagged:
                rest.append((evaluation, outcome, stored and stored[0]))
    wanted = [pk for _evaluation, _outcome, pk in rest if pk]
    # Locked in primary-key order, as every writer does, so that two never wait on each other
    # (the repeated alerts are re-dated without waiting: ``_redate``).
    locked = Alert.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    alerts = {alert.pk: alert for alert in locked} if wanted else {}
    for evaluation, outcome, pk in rest:
        _plan(evaluation, outcome, alerts.get(pk), writes)
    return _write(writes)


def _known(ocids: list[str]) -> dict[tuple, tuple]:
    """(ocid, code, subject) → (pk, digest, still flagged) of the processes' stored alerts."""
    columns = ("ocid", "code", "subject", "pk", "digest", "still_flagged")
    rows = Alert.objects.filter(ocid__among=ocids).values_list(*columns)
    return {(ocid, code, subject): rest for ocid, code, subject, *rest in rows}


def digest(outcome: Outcome) -> str:
    """What an alert stores of its last flagged result, to tell a repeat from a change: the
    fields ``_same_as_before`` compares (engine/bulk.py, ``fingerprint``)."""
    return bulk.fingerprint(
        outcome.version, outcome.severity, outcome.explanation, outcome.evidence
    )


def _repeats(stored: tuple, outcome: Outcome) -> bool:
    """``_same_as_before`` by the stored digest, without reading the alert."""
    _pk, stored_digest, still_flagged = stored
    if not bulk.trusting():
        return False
    if outcome.flagged:
        return still_flagged and stored_digest == digest(outcome)
    return not still_flagged


def _keep(writes: _Writes, pk: int, evaluation: Evaluation) -> None:
    # The usual case of a nightly recompute: one UPDATE for all, not one per alert.
    writes.unchanged.append(pk)
    writes.latest = max(filter(None, (writes.latest, evaluation.computed_at)))


def _plan(evaluation: Evaluation, outcome: Outcome, alert: Alert | None, writes: _Writes) -> None:
    if alert is not None and _same_as_before(alert, outcome):
        fresh = digest(outcome) if outcome.flagged else alert.digest
        if fresh != alert.digest:
            # Stored before alerts kept a digest: written once with it, then only re-dated.
            alert.digest = fresh
            alert.last_computed_at = evaluation.computed_at
            writes.saved[alert.pk] = alert
        else:
            _keep(writes, alert.pk, evaluation)
    elif outcome.flagged and alert is None:
        writes.opened.append((evaluation, _new(evaluation, outcome), outcome))
    elif outcome.flagged:
        _plan_update(evaluation, alert, outcome, writes)
    elif alert is not None:
        _plan_not_flagged(evaluation, alert, outcome, writes)


def _write(writes: _Writes) -> list[tuple[Evaluation, Alert]]:
    if writes.opened:
        _suppliers([evaluation for evaluation, _alert, _outcome in writes.opened])
        for evaluation, alert, outcome in writes.opened:
            alert.supplier_name, alert.supplier_key = _supplier(evaluation, outcome)
        # COPY with keys drawn first: on a first run bulk_create's quoting of the evidence
        # and the events' snapshots was a third of the evaluation (docs/benchmarks.md).
        opened = [alert for _evaluation, alert, _outcome in writes.opened]
        bulk.bulk_insert(Alert, opened, with_keys=True)
        for evaluation, alert, outcome in writes.opened:
            writes.events.append(
                AlertEvent(
                    alert=alert,
                    kind=EventKind.OPENED,
                    to_status=alert.status,
                    data=_snapshot(outcome),
                )
            )
            writes.raised.append((evaluation, alert))
    if writes.saved:
        now = timezone.now()
        for alert in writes.saved.values():
            alert.updated_at = now
        bulk.bulk_update(Alert, list(writes.saved.values()), SAVED_FIELDS)
    bulk.bulk_insert(AlertEvent, writes.events)
    changes = [(e.alert, e.from_status) for e in writes.events if e.to_status]
    if changes:
        alert_statuses_changed.send(sender=Alert, changes=changes)
    if writes.unchanged:
        _redate(writes.unchanged, writes.latest)
    return writes.raised


def _redate(pks: list[int], moment) -> None:
    """Renew the date of the alerts a batch repeats: one date for the batch (its evaluations are
    milliseconds apart), so one UPDATE.

    These alerts were not locked in primary-key order with the ones that change (that would
    mean locking every alert of the batch), so the UPDATE skips an alert another writer holds
    instead of waiting for it: waiting could close a cycle with a publication that holds it and
    waits for one of ours. The writer that holds it renews its date itself."""
    repeated = Alert.objects.filter(pk__among=pks)
    if connection.features.has_select_for_update_skip_locked:
        free = repeated.select_for_update(skip_locked=True).values("pk")
        repeated = Alert.objects.filter(pk__in=free)
    repeated.update(last_computed_at=moment)


def _same_as_before(alert, outcome) -> bool:
    """The recomputation repeats what the alert already says: only its date changes."""
    if outcome.flagged:
        # Equal evidence has equal substance: only the other fields of _differs are left.
        return (
            alert.still_flagged
            and alert.evidence == outcome.evidence
            and (alert.version, alert.severity, alert.explanation)
            == (outcome.version, outcome.severity, outcome.explanation)
        )
    return not alert.still_flagged


def _new(evaluation: Evaluation, outcome: Outcome) -> Alert:
    return Alert(
        entity_id=evaluation.entity_id,
        unit_id=evaluation.unit_id,
        ocid=evaluation.ocid,
        code=outcome.code,
        subject=outcome.subject,
        first_computed_at=evaluation.computed_at,
        **_computed_fields(evaluation, outcome),
    )


def _computed_fields(evaluation, outcome) -> dict:
    return {
        "version": outcome.version,
        "digest": digest(outcome),
        "severity": outcome.severity,
        "explanation": outcome.explanation,
        "evidence": outcome.evidence,
        "links": [list(link) for link in outcome.links],
        "still_flagged": True,
        "last_computed_at": evaluation.computed_at,
    }


def _plan_update(evaluation, alert, outcome, writes: _Writes) -> None:
    """Refresh the alert with a new flagged result; reopen a dismissal on new substance."""
    was_flagged = alert.still_flagged
    changed = _differs(alert, outcome)
    for name, value in _computed_fields(evaluation, outcome).items():
        setattr(alert, name, value)
    writes.saved[alert.pk] = alert
    # Only new substance reopens a dismissal: the flag coming back after a "not computable" (a
    # registry was down) with the evidence the OIC already judged does not.
    if alert.status == S.DISMISSED and changed:
        previous, alert.status = alert.status, S.OPEN
        writes.events.append(
            AlertEvent(
                alert=alert,
                kind=EventKind.REOPENED,
                from_status=previous,
                to_status=S.OPEN,
                data=_snapshot(outcome),
            )
        )
        writes.raised.append((evaluation, alert))
    elif changed or not was_flagged:
        writes.events.append(
            AlertEvent(alert=alert, kind=EventKind.RECOMPUTED, data=_snapshot(outcome))
        )


# Evidence keys that change with every registry sync or statistics run without changing the
# finding (indicadores.engine.core.VOLATILE_EVIDENCE_KEYS, as docs/indicadores.md says); the
# freshest values are kept, silently.
VOLATILE_KEYS = VOLATILE_EVIDENCE_KEYS | {"synced_at"}


def _substance(value):
    """``value`` without the volatile keys, at any depth."""
    if isinstance(value, dict):
        return {k: _substance(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_substance(item) for item in value]
    return value


def _differs(alert, outcome) -> bool:
    """Whether the finding itself changed (not just the dates of sync in its evidence)."""
    return (alert.version, alert.severity, alert.explanation, _substance(alert.evidence)) != (
        outcome.version,
        outcome.severity,
        outcome.explanation,
        _substance(outcome.evidence),
    )


def _plan_not_flagged(evaluation, alert, outcome, writes: _Writes) -> None:
    """Record that the latest evaluation did not flag it; the status stays (a person decides)."""
    alert.still_flagged = False
    alert.last_computed_at = evaluation.computed_at
    writes.saved[alert.pk] = alert
    kind = (
        EventKind.NOT_COMPUTABLE
        if outcome.status == OutcomeStatus.NOT_COMPUTABLE
        else EventKind.NOT_FLAGGED
    )
    writes.events.append(AlertEvent(alert=alert, kind=kind, data=_snapshot(outcome)))


# --- buffering during calcular_indicadores -------------------------------------------------------

_local = threading.local()


class _Collector:
    """Evaluations waiting to be written, and what they raised, per entity, for one notice.

    What was raised is kept by key (ocid, alert pk, indicator code), not as the alerts: a first
    run opens ≈ 13,000 alerts per 5,000 processes, and keeping each with its evidence until the
    end only gave the garbage collector more to walk (≈ 0.6 s per part)."""

    def __init__(self):
        self.buffer: list[Evaluation] = []
        self.raised: dict[int, list[tuple[str, int, str]]] = defaultdict(list)

    def add(self, evaluation: Evaluation) -> None:
        self.buffer.append(evaluation)
        if len(self.buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for evaluation, alert in record_batch(self.buffer):
            self.raised[evaluation.entity_id].append((evaluation.ocid, alert.pk, alert.code))
        self.buffer = []

    def notify(self) -> None:
        notify_recompute(self.raised)

    def raised_keys(self) -> dict[int, list[tuple[str, int, str]]]:
        """What the block opened or reopened, per entity, as (ocid, alert pk, indicator code):
        what a worker of a parallel recompute hands back so that the run sends the notices
        once."""
        return dict(self.raised)


@contextmanager
def collecting(*, send: bool = True, notify: bool = True):
    """Inside the block (a recompute), evaluations are written ``BATCH`` at a time and each
    entity's OIC gets one notice for everything the run opened or reopened, not one per
    process. ``send=False`` (a dry run) changes nothing. ``notify=False`` (a worker of a
    parallel recompute, indicadores/recompute.py) writes but leaves the notices to
    :func:`notify_recompute`; the block receives the collector."""
    if not send:
        yield None
        return
    collector = _local.collector = _Collector()
    try:
        yield collector
        collector.flush()
        if notify:
            collector.notify()
    finally:
        _local.collector = None


def notify_recompute(raised: dict[int, list[tuple[str, int, str]]]) -> None:
    """One notice per entity for what a recompute opened or reopened (entity → [(ocid, alert
    pk, code)]: a collector's, or merged from every worker's ``raised_keys``).

    A notice names the codes and links to the alert or the queue: the alerts are named by key
    and code, not read back (the first run at 100,000 processes read 254,578 alerts whole to
    send 1,500 notices: 16 of its 18 s)."""
    notices = [_recompute_notice(entity_id, keys) for entity_id, keys in raised.items() if keys]
    notifications.notify_oics(notices)


def _snapshot(outcome) -> dict:
    data = {"version": outcome.version, "status": outcome.status, "severity": outcome.severity}
    if outcome.flagged:
        data["evidence"] = outcome.evidence
    if outcome.missing:
        data["missing"] = list(outcome.missing)
    return data


def _suppliers(evaluations: list[Evaluation]) -> None:
    """Read the published suppliers of these processes (one query) into each evaluation."""
    wanted = {e.ocid: e for e in evaluations if e.suppliers is None}
    for evaluation in wanted.values():
        evaluation.suppliers = {}
    rows = SupplierProjection.objects.filter(process__ocid__in=list(wanted)).order_by("pk")
    for ocid, party_id, name, identifier in rows.values_list(
        "process__ocid", "party_id", "name", "identifier"
    ):
        wanted[ocid].suppliers[party_id] = (name, identifier)


def _supplier(evaluation: Evaluation, outcome) -> tuple[str, str]:
    """The supplier the finding is about: its subject if it is a supplier of the process, the
    ``supplier`` of the evidence, or else every supplier of the process (published projection)."""
    if outcome.subject in evaluation.suppliers:
        pairs = [evaluation.suppliers[outcome.subject]]
    elif _named_party(outcome.evidence):
        party = _named_party(outcome.evidence)
        pairs = [(party.get("name", ""), party.get("rfc") or party.get("identifier", ""))]
    else:
        pairs = list(evaluation.suppliers.values())
    name = "; ".join(name for name, _rfc in pairs if name)[:500]
    key = " ".join(f"{normalise_name(n)} {(rfc or '').upper()}".strip() for n, rfc in pairs)
    return name, key[:600]


def _named_party(evidence) -> dict | None:
    """The supplier (or party) the evidence names, as the indicators write it."""
    for key in ("supplier", "party"):
        if isinstance(evidence.get(key), dict) and evidence[key].get("name"):
            return evidence[key]
    return None


def _notify_raised(evaluation, alerts) -> None:
    message, url = _raised_notice(evaluation.ocid, alerts)
    recipients = notifications.oic_of(evaluation.entity_id)
    notifications.notify(recipients, message, url=url, alert=alerts[0])


def _raised_notice(ocid: str, alerts) -> tuple[str, str]:
    """The notice of the alerts one evaluation of a process opened or reopened: (text, url)."""
    codes = ", ".join(sorted({alert.code for alert in alerts}))
    if len(alerts) == 1:
        url = detail_url(alerts[0])
    else:
        url = f"{reverse('indicadores:alert-list')}?ocid={ocid}"
    message = _("Alertas de integridad en el proceso %(ocid)s: %(codes)s.") % {
        "ocid": ocid,
        "codes": codes,
    }
    return message, url


def _recompute_notice(entity_id: int, keys: list[tuple[str, int, str]]) -> tuple:
    """The one notice to an entity's OIC for what a recompute opened or reopened in it, given
    as (ocid, alert pk, code): (entity id, text, url, alert or None) for
    ``notifications.notify_oics``."""
    processes = {ocid for ocid, _pk, _code in keys}
    if len(processes) == 1:
        # The process's alerts stand in by key and code: all a notice reads of them.
        alerts = [Alert(pk=pk, code=code) for _ocid, pk, code in keys]
        return (entity_id, *_raised_notice(keys[0][0], alerts), alerts[0])
    codes = ", ".join(sorted({code for _ocid, _pk, code in keys}))
    message = _(
        "El cálculo de indicadores abrió o reabrió %(alerts)s alertas de integridad en "
        "%(processes)s procesos: %(codes)s."
    ) % {"alerts": len(keys), "processes": len(processes), "codes": codes}
    url = f"{reverse('indicadores:alert-list')}?status={S.OPEN}"
    return entity_id, message[:500], url, None


def _event(alert, kind, *, actor=None, from_status="", to_status="", text="", data=None):
    return AlertEvent.objects.create(
        alert=alert,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        text=text,
        data=data or {},
    )


# --- what people do ------------------------------------------------------------------------------


def _locked(alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _require_work(user, alert) -> None:
    if not may_work(user, alert):
        raise AlertError(_("Sólo el órgano interno de control del ente trabaja esta alerta."))


def _clean(text) -> str:
    return (text or "").strip()


@transaction.atomic
def change_status(*, alert, user, to_status, text="", reference_number="") -> Alert:
    """Move the alert along the lifecycle, with the text and turn number the step requires."""
    _require_work(user, alert)
    alert = _locked(alert)
    rules = TRANSITIONS[S(alert.status)]
    if to_status not in rules:
        raise AlertError(
            _("Una alerta «%(from)s» no puede pasar a «%(to)s».")
            % {"from": alert.get_status_display(), "to": _status_label(to_status)}
        )
    needs_text, needs_reference = rules[to_status]
    text, reference_number = _clean(text), _clean(reference_number)
    if needs_text and not text:
        raise AlertError(_status_text_required(to_status))
    if needs_reference and not reference_number:
        raise AlertError(_("Escriba el número de turno a la Unidad de Responsabilidades."))
    previous, alert.status = alert.status, to_status
    if needs_reference:
        alert.reference_number = reference_number[:100]
    alert.save(update_fields=["status", "reference_number", "updated_at"])
    alert_statuses_changed.send(sender=Alert, changes=[(alert, previous)])
    data = {"reference_number": alert.reference_number} if needs_reference else {}
    _event(
        alert,
        EventKind.STATUS,
        actor=user,
        from_status=previous,
        to_status=to_status,
        text=text,
        data=data,
    )
    return alert


def _status_label(value) -> str:
    try:
        return str(S(value).label)
    except ValueError:
        return str(value)


def _status_text_required(to_status) -> str:
    if to_status == S.DISMISSED:
        return _("Para descartar una alerta escriba la justificación.")
    return _("Para reabrir una alerta descartada diga qué cambió.")


@transaction.atomic
def assign(*, alert, user, assignee) -> Alert:
    """Give the alert to a person of the entity's OIC (or to nobody, with ``assignee=None``)."""
    _require_work(user, alert)
    alert = _locked(alert)
    if assignee is not None and not may_work(assignee, alert):
        raise AlertError(_("Sólo puede asignarse a una persona del OIC del ente."))
    alert.assigned_to = assignee
    alert.save(update_fields=["assigned_to", "updated_at"])
    name = _person(assignee) if assignee else ""
    _event(alert, EventKind.ASSIGNED, actor=user, text=name, data={"assignee": name})
    if assignee is not None:
        notifications.notify(
            [assignee],
            _("Se le asignó la alerta %(code)s del proceso %(ocid)s.")
            % {"code": alert.code, "ocid": alert.ocid},
            url=detail_url(alert),
            alert=alert,
            exclude=user,
        )
    return alert


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def comment(*, alert, user, text) -> AlertEvent:
    _require_work(user, alert)
    text = _clean(text)
    if not text:
        raise AlertError(_("El comentario está vacío."))
    return _event(alert, EventKind.COMMENT, actor=user, text=text)


@transaction.atomic
def request_response(*, alert, user, question, deadline: date) -> Alert:
    """Ask the process's purchasing unit to explain the finding by ``deadline``."""
    _require_work(user, alert)
    alert = _locked(alert)
    question = _clean(question)
    if not question:
        raise AlertError(_("Escriba qué debe responder la unidad compradora."))
    if deadline is None or deadline < timezone.localdate():
        raise AlertError(_("El plazo de respuesta debe ser hoy o una fecha futura."))
    if alert.status in (S.DISMISSED, S.REFERRED):
        raise AlertError(_("Una alerta descartada o turnada ya no pide respuestas."))
    alert.response_question = question
    alert.response_deadline = deadline
    alert.response_requested_at = timezone.now()
    alert.response_answer, alert.responded_at, alert.responded_by = "", None, None
    alert.save()
    _event(
        alert,
        EventKind.RESPONSE_REQUESTED,
        actor=user,
        text=question,
        data={"deadline": deadline.isoformat()},
    )
    notifications.notify(
        notifications.approvers_of(alert.entity_id, alert.unit_id),
        _(
            "El OIC pide una respuesta sobre la alerta %(code)s del proceso %(ocid)s antes del "
            "%(deadline)s."
        )
        % {"code": alert.code, "ocid": alert.ocid, "deadline": deadline.strftime("%d/%m/%Y")},
        url=reverse("indicadores:response", args=[alert.pk]),
        alert=alert,
        exclude=user,
    )
    return alert


@transaction.atomic
def answer_response(*, alert, user, answer) -> Alert:
    """The purchasing unit's answer to the OIC's request."""
    if not may_answer(user, alert):
        raise AlertError(_("Sólo los aprobadores de la unidad compradora responden."))
    alert = _locked(alert)
    answer = _clean(answer)
    if not alert.response_pending:
        raise AlertError(_("Esta alerta no tiene una solicitud pendiente de respuesta."))
    if not answer:
        raise AlertError(_("La respuesta está vacía."))
    alert.response_answer = answer
    alert.responded_at = timezone.now()
    alert.responded_by = user
    alert.save(update_fields=["response_answer", "responded_at", "responded_by", "updated_at"])
    _event(alert, EventKind.RESPONSE_GIVEN, actor=user, text=answer)
    recipients = [alert.assigned_to] if alert.assigned_to else notifications.oic_of(alert.entity_id)
    notifications.notify(
        recipients,
        _("La unidad compradora respondió sobre la alerta %(code)s del proceso %(ocid)s.")
        % {"code": alert.code, "ocid": alert.ocid},
        url=detail_url(alert),
        alert=alert,
        exclude=user,
    )
    return alert


# --- deadlines -----------------------------------------------------------------------------------


def overdue_requests(today=None):
    """Unanswered requests whose deadline passed and that were not yet noted as overdue."""
    today = today or timezone.localdate()
    noted = AlertEvent.objects.filter(
        alert=OuterRef("pk"),
        kind=EventKind.RESPONSE_OVERDUE,
        created_at__gte=OuterRef("response_requested_at"),
    )
    return (
        Alert.objects.filter(
            response_requested_at__isnull=False,
            responded_at__isnull=True,
            response_deadline__lt=today,
        )
        .exclude(Exists(noted))
        .select_related("assigned_to")
    )


def note_overdue(today=None) -> list[Alert]:
    """Record and notify, once per request, that the unit let the deadline pass (idempotent)."""
    noted = []
    for alert in overdue_requests(today):
        with transaction.atomic():
            _event(
                alert,
                EventKind.RESPONSE_OVERDUE,
                data={"deadline": alert.response_deadline.isoformat()},
            )
            _notify_overdue(alert)
        noted.append(alert)
    return noted


def _notify_overdue(alert) -> None:
    words = {
        "code": alert.code,
        "ocid": alert.ocid,
        "deadline": alert.response_deadline.strftime("%d/%m/%Y"),
    }
    oic = [alert.assigned_to] if alert.assigned_to else notifications.oic_of(alert.entity_id)
    notifications.notify(
        oic,
        _(
            "Venció el %(deadline)s el plazo de la unidad para responder sobre la alerta %(code)s "
            "del proceso %(ocid)s."
        )
        % words,
        url=detail_url(alert),
        alert=alert,
    )
    notifications.notify(
        notifications.approvers_of(alert.entity_id, alert.unit_id),
        _(
            "Venció el %(deadline)s el plazo para responder al OIC sobre la alerta %(code)s del "
            "proceso %(ocid)s; aún puede responder."
        )
        % words,
        url=reverse("indicadores:response", args=[alert.pk]),
        alert=alert,
    )
