"""The alert lifecycle: outcomes_computed opens and updates alerts; only people close them."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.roles import ROLE_GROUP_NAMES, Role
from indicadores import alerts
from indicadores.alerts import AlertError
from indicadores.models import Alert, AlertEvent, AlertStatus, EventKind, Notification
from indicadores.outcomes import OutcomeStatus, Severity
from tests.factories import make_entity, make_member, make_unit
from tests.indicadores.alert_helpers import compute, new_ocid, sanction, single_bid
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db

S = AlertStatus


@pytest.fixture
def entity():
    return make_entity()


@pytest.fixture
def unit(entity):
    return make_unit(entity)


@pytest.fixture
def oic(entity):
    user = make_member(Role.OIC, entity)
    user.email = "oic@ente.gob.mx"
    user.save()
    return user


@pytest.fixture
def approver(entity, unit):
    user = make_member(Role.APROBADOR, entity, unit)
    user.email = "aprobador@ente.gob.mx"
    user.save()
    return user


@pytest.fixture
def alert(entity, unit, oic):
    ocid = new_ocid(entity)
    compute(ocid, entity, unit, sanction())
    return Alert.objects.get(ocid=ocid)


def kinds(alert) -> list[str]:
    return list(alert.events.values_list("kind", flat=True))


# --- recomputation ---------------------------------------------------------------------------


def test_a_flagged_outcome_opens_an_alert_with_its_evidence(
    entity, unit, oic, django_capture_on_commit_callbacks
):
    ocid = new_ocid(entity)
    with django_capture_on_commit_callbacks(execute=True):
        compute(ocid, entity, unit, sanction(), single_bid(status=OutcomeStatus.NOT_FLAGGED))
    alert = Alert.objects.get()
    assert (alert.ocid, alert.code, alert.version, alert.subject) == (
        ocid,
        "MX-SANC",
        1,
        "MX-RFC-MME920427EM3",
    )
    assert (alert.entity, alert.unit, alert.status, alert.severity) == (
        entity,
        unit,
        S.OPEN,
        Severity.HIGH,
    )
    assert alert.evidence["registry"]["match_kind"] == "rfc_exact"
    assert alert.links == [["Registro del S3", "https://plataformadigitalnacional.org/sancionados"]]
    assert alert.supplier_name == "Medicamentos Mexicanos, S.A. de C.V."
    assert "MME920427EM3" in alert.supplier_key
    assert alert.first_computed_at == alert.last_computed_at
    assert kinds(alert) == [EventKind.OPENED]
    notice = Notification.objects.get()
    assert notice.recipient == oic and ocid in notice.message and "MX-SANC" in notice.message
    assert notice.url == f"/tramite/alertas/{alert.pk}/"
    assert [message.to for message in mail.outbox] == [["oic@ente.gob.mx"]]
    assert ocid in mail.outbox[0].subject
    assert f"/tramite/alertas/{alert.pk}/" in mail.outbox[0].body


def test_a_rolled_back_evaluation_mails_nobody(
    entity, unit, oic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        compute(new_ocid(entity), entity, unit, sanction())
    assert len(callbacks) == 1 and mail.outbox == []


def test_the_same_result_again_refreshes_the_date_without_a_new_event(alert, entity, unit):
    later = timezone.now() + timedelta(hours=1)
    compute(alert.ocid, entity, unit, sanction(), computed_at=later)
    alert.refresh_from_db()
    assert alert.last_computed_at == later and alert.first_computed_at < later
    assert kinds(alert) == [EventKind.OPENED]
    assert Alert.objects.count() == 1


def test_new_evidence_updates_the_alert_and_is_recorded(alert, entity, unit):
    evidence = {**alert.evidence, "values": {"fecha_adjudicacion": "2025-04-01"}}
    compute(alert.ocid, entity, unit, sanction(evidence=evidence, version=2))
    alert.refresh_from_db()
    assert alert.version == 2 and alert.evidence["values"]["fecha_adjudicacion"] == "2025-04-01"
    event = alert.events.last()
    assert event.kind == EventKind.RECOMPUTED and event.data["version"] == 2
    assert event.actor is None


def test_a_no_longer_flagged_outcome_never_closes_the_alert(alert, entity, unit):
    compute(alert.ocid, entity, unit, sanction(status=OutcomeStatus.NOT_FLAGGED))
    compute(alert.ocid, entity, unit, sanction(status=OutcomeStatus.NOT_FLAGGED))
    alert.refresh_from_db()
    assert alert.status == S.OPEN and not alert.still_flagged
    assert alert.evidence["registry"]["system"] == "s3"  # the evidence that raised it stays
    assert kinds(alert) == [EventKind.OPENED, EventKind.NOT_FLAGGED]


def test_not_computable_is_recorded_with_the_missing_data(alert, entity, unit):
    compute(alert.ocid, entity, unit, sanction(status=OutcomeStatus.NOT_COMPUTABLE))
    alert.refresh_from_db()
    event = alert.events.last()
    assert alert.status == S.OPEN
    assert event.kind == EventKind.NOT_COMPUTABLE and event.data["missing"] == ["awards/suppliers"]


def test_flagged_again_after_not_flagged_is_recorded(alert, entity, unit):
    compute(alert.ocid, entity, unit, sanction(status=OutcomeStatus.NOT_FLAGGED))
    compute(alert.ocid, entity, unit, sanction())
    alert.refresh_from_db()
    assert alert.still_flagged
    assert kinds(alert)[-1] == EventKind.RECOMPUTED


def test_outcomes_without_a_flag_open_nothing(entity, unit):
    ocid = new_ocid(entity)
    compute(
        ocid,
        entity,
        unit,
        sanction(status=OutcomeStatus.NOT_FLAGGED),
        single_bid(status=OutcomeStatus.NOT_COMPUTABLE),
    )
    assert not Alert.objects.exists()


def test_each_subject_is_its_own_alert(entity, unit):
    ocid = new_ocid(entity)
    compute(ocid, entity, unit, sanction("MX-RFC-AAA010101AAA"), sanction("MX-RFC-BBB010101BBB"))
    assert sorted(Alert.objects.values_list("subject", flat=True)) == [
        "MX-RFC-AAA010101AAA",
        "MX-RFC-BBB010101BBB",
    ]


def test_the_supplier_comes_from_the_published_projection(entity, oic):
    ocid = publish_process(entity, supplier_name="Farmacéutica del Bajío, S.A. de C.V.")
    compute(ocid, entity, None, single_bid())
    alert = Alert.objects.get()
    assert alert.supplier_name == "Farmacéutica del Bajío, S.A. de C.V."
    assert "FARMACEUTICA DEL BAJIO" in alert.supplier_key


def test_a_dismissed_alert_reopens_when_new_data_flags_it_again(alert, entity, unit, oic):
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    alerts.change_status(alert=alert, user=oic, to_status=S.DISMISSED, text="Homónimo.")
    compute(alert.ocid, entity, unit, sanction())  # same evidence: the dismissal stands
    alert.refresh_from_db()
    assert alert.status == S.DISMISSED
    changed = {
        **alert.evidence,
        "registry": {**alert.evidence["registry"], "match_kind": "curp_exact"},
    }
    Notification.objects.all().delete()
    compute(alert.ocid, entity, unit, sanction(evidence=changed))
    alert.refresh_from_db()
    assert alert.status == S.OPEN
    event = alert.events.last()
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.REOPENED,
        S.DISMISSED,
        S.OPEN,
    )
    assert Notification.objects.get().recipient == oic


# --- what people do --------------------------------------------------------------------------


def test_the_full_lifecycle_with_history(alert, oic):
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    alerts.change_status(alert=alert, user=oic, to_status=S.CONFIRMED, text="Sanción vigente.")
    alerts.change_status(
        alert=alert, user=oic, to_status=S.REFERRED, reference_number="OIC/UR/2025/0042"
    )
    alert.refresh_from_db()
    assert alert.status == S.REFERRED and alert.reference_number == "OIC/UR/2025/0042"
    steps = [
        (e.from_status, e.to_status, e.actor) for e in alert.events.filter(kind=EventKind.STATUS)
    ]
    assert steps == [
        (S.OPEN, S.IN_REVIEW, oic),
        (S.IN_REVIEW, S.CONFIRMED, oic),
        (S.CONFIRMED, S.REFERRED, oic),
    ]
    assert alert.events.last().data == {"reference_number": "OIC/UR/2025/0042"}


def test_dismissing_needs_a_justification(alert, oic):
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    with pytest.raises(AlertError, match="justificación"):
        alerts.change_status(alert=alert, user=oic, to_status=S.DISMISSED, text="   ")
    alerts.change_status(
        alert=alert, user=oic, to_status=S.DISMISSED, text="El RFC es de otra persona moral."
    )
    alert.refresh_from_db()
    assert alert.status == S.DISMISSED
    assert alert.events.last().text == "El RFC es de otra persona moral."


def test_referring_needs_the_reference_number(alert, oic):
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    alerts.change_status(alert=alert, user=oic, to_status=S.CONFIRMED)
    with pytest.raises(AlertError, match="número de turno"):
        alerts.change_status(alert=alert, user=oic, to_status=S.REFERRED)
    assert Alert.objects.get().status == S.CONFIRMED


@pytest.mark.parametrize("target", [S.DISMISSED, S.CONFIRMED, S.REFERRED, "cerrada"])
def test_an_open_alert_must_be_reviewed_first(alert, oic, target):
    with pytest.raises(AlertError, match="no puede pasar"):
        alerts.change_status(
            alert=alert, user=oic, to_status=target, text="x", reference_number="1"
        )
    assert Alert.objects.get().status == S.OPEN


def test_a_dismissed_alert_can_be_reopened_with_a_reason(alert, oic):
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    alerts.change_status(alert=alert, user=oic, to_status=S.DISMISSED, text="Homónimo.")
    with pytest.raises(AlertError):
        alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW, text="Nuevo oficio.")
    assert Alert.objects.get().status == S.IN_REVIEW


def test_only_the_entitys_oic_acts(alert, entity, unit, approver):
    other_oic = make_member(Role.OIC, make_entity())
    capturista = make_member(Role.CAPTURISTA, entity, unit)
    for person in (other_oic, approver, capturista):
        with pytest.raises(AlertError, match="órgano interno de control"):
            alerts.change_status(alert=alert, user=person, to_status=S.IN_REVIEW)
        with pytest.raises(AlertError):
            alerts.comment(alert=alert, user=person, text="Hola")
    assert kinds(alert) == [EventKind.OPENED]


def test_assignment_goes_to_an_oic_person_and_notifies_them(
    alert, entity, oic, django_capture_on_commit_callbacks
):
    colleague = make_member(Role.OIC, entity)
    colleague.email = "colega@ente.gob.mx"
    colleague.save()
    with pytest.raises(AlertError, match="OIC del ente"):
        alerts.assign(alert=alert, user=oic, assignee=make_member(Role.OIC, make_entity()))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        alerts.assign(alert=alert, user=oic, assignee=colleague)
    alert.refresh_from_db()
    assert alert.assigned_to == colleague
    assert alert.events.last().kind == EventKind.ASSIGNED
    assert Notification.objects.get().recipient == colleague
    assert mail.outbox[-1].to == ["colega@ente.gob.mx"]


def test_comments_are_kept_and_empty_ones_refused(alert, oic):
    with pytest.raises(AlertError, match="vacío"):
        alerts.comment(alert=alert, user=oic, text=" ")
    alerts.comment(alert=alert, user=oic, text="Se pidió el acta de fallo.")
    event = alert.events.last()
    assert (event.kind, event.text, event.actor) == (
        EventKind.COMMENT,
        "Se pidió el acta de fallo.",
        oic,
    )


def test_the_unit_is_asked_and_answers(alert, entity, unit, oic, approver):
    other_unit_approver = make_member(Role.APROBADOR, entity, make_unit(entity))
    deadline = timezone.localdate() + timedelta(days=5)
    with pytest.raises(AlertError, match="plazo"):
        alerts.request_response(
            alert=alert,
            user=oic,
            question="¿Por qué?",
            deadline=timezone.localdate() - timedelta(1),
        )
    Notification.objects.all().delete()
    alerts.request_response(
        alert=alert, user=oic, question="Explique la consulta al S3.", deadline=deadline
    )
    notice = Notification.objects.get()
    assert (
        notice.recipient == approver and notice.url == f"/tramite/alertas/solicitudes/{alert.pk}/"
    )
    with pytest.raises(AlertError, match="aprobadores"):
        alerts.answer_response(alert=alert, user=other_unit_approver, answer="No sé")
    with pytest.raises(AlertError, match="vacía"):
        alerts.answer_response(alert=alert, user=approver, answer="")
    alerts.answer_response(alert=alert, user=approver, answer="Se consultó el 1 de marzo.")
    alert.refresh_from_db()
    assert alert.response_answer == "Se consultó el 1 de marzo." and alert.responded_by == approver
    assert not alert.response_pending
    assert kinds(alert)[-2:] == [EventKind.RESPONSE_REQUESTED, EventKind.RESPONSE_GIVEN]
    assert alert.events.get(kind=EventKind.RESPONSE_REQUESTED).data == {
        "deadline": deadline.isoformat()
    }
    assert Notification.objects.filter(recipient=oic).count() == 1
    with pytest.raises(AlertError, match="pendiente"):
        alerts.answer_response(alert=alert, user=approver, answer="Otra vez")


def test_roles_carry_the_declared_permissions():
    oic_group = Group.objects.get(name=ROLE_GROUP_NAMES[Role.OIC])
    approvers = Group.objects.get(name=ROLE_GROUP_NAMES[Role.APROBADOR])
    assert oic_group.permissions.filter(codename="work_alert").exists()
    assert not approvers.permissions.filter(codename="work_alert").exists()
    assert approvers.permissions.filter(codename="answer_alert").exists()


def test_history_is_ordered(alert, oic):
    alerts.comment(alert=alert, user=oic, text="uno")
    alerts.comment(alert=alert, user=oic, text="dos")
    assert list(AlertEvent.objects.filter(alert=alert).values_list("text", flat=True))[-2:] == [
        "uno",
        "dos",
    ]


# --- deadlines ----------------------------------------------------------------------------------


def test_an_unanswered_request_past_its_deadline_is_noted_once(alert, oic, approver):
    deadline = timezone.localdate() + timedelta(days=2)
    alerts.request_response(alert=alert, user=oic, question="Explique.", deadline=deadline)
    assert alerts.note_overdue(today=deadline) == []  # the deadline day itself is still on time
    Notification.objects.all().delete()
    assert [a.pk for a in alerts.note_overdue(today=deadline + timedelta(days=1))] == [alert.pk]
    assert alerts.note_overdue(today=deadline + timedelta(days=2)) == []
    event = alert.events.last()
    assert (event.kind, event.data) == (EventKind.RESPONSE_OVERDUE, {"deadline": str(deadline)})
    notices = {n.recipient: n for n in Notification.objects.all()}
    assert set(notices) == {oic, approver}
    assert notices[approver].url == f"/tramite/alertas/solicitudes/{alert.pk}/"
    alerts.answer_response(alert=alert, user=approver, answer="Tarde, pero aquí está.")
    assert Alert.objects.get(pk=alert.pk).response_answer == "Tarde, pero aquí está."


def test_a_new_request_can_be_noted_overdue_again_and_answered_ones_never(alert, oic, approver):
    deadline = timezone.localdate() + timedelta(days=1)
    alerts.request_response(alert=alert, user=oic, question="Uno.", deadline=deadline)
    later = deadline + timedelta(days=1)
    assert len(alerts.note_overdue(today=later)) == 1
    alerts.request_response(alert=alert, user=oic, question="Dos.", deadline=deadline)
    assert len(alerts.note_overdue(today=later)) == 1
    alerts.request_response(alert=alert, user=oic, question="Tres.", deadline=deadline)
    alerts.answer_response(alert=alert, user=approver, answer="Respondido.")
    assert alerts.note_overdue(today=later) == []


def test_the_command_notes_what_is_overdue(alert, oic):
    alerts.request_response(
        alert=alert, user=oic, question="Explique.", deadline=timezone.localdate()
    )
    Alert.objects.filter(pk=alert.pk).update(
        response_deadline=timezone.localdate() - timedelta(days=1)
    )
    out = StringIO()
    call_command("revisar_solicitudes_alertas", stdout=out)
    assert alert.ocid in out.getvalue() and "registradas: 1" in out.getvalue()
    out = StringIO()
    call_command("revisar_solicitudes_alertas", stdout=out)
    assert "registradas: 0" in out.getvalue()


def test_a_new_sync_date_refreshes_the_evidence_without_noise(alert, entity, unit, oic):
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    alerts.change_status(alert=alert, user=oic, to_status=S.DISMISSED, text="Homónimo.")
    synced = {**alert.evidence["registry"], "synced_at": "2025-04-01T06:00:00-06:00"}
    compute(alert.ocid, entity, unit, sanction(evidence={**alert.evidence, "registry": synced}))
    alert.refresh_from_db()
    assert alert.status == S.DISMISSED
    assert alert.evidence["registry"]["synced_at"] == "2025-04-01T06:00:00-06:00"
    assert alert.events.last().kind == EventKind.STATUS


def test_the_flag_coming_back_with_the_judged_evidence_does_not_reopen(alert, entity, unit, oic):
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    alerts.change_status(alert=alert, user=oic, to_status=S.DISMISSED, text="Homónimo.")
    compute(alert.ocid, entity, unit, sanction(status=OutcomeStatus.NOT_COMPUTABLE))
    compute(alert.ocid, entity, unit, sanction())
    alert.refresh_from_db()
    assert alert.status == S.DISMISSED and alert.still_flagged
    assert kinds(alert)[-2:] == [EventKind.NOT_COMPUTABLE, EventKind.RECOMPUTED]
