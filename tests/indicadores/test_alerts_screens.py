"""The OIC's alert screens (/tramite/alertas/) and the unit's answer page: scope and actions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.roles import Role
from indicadores import alerts
from indicadores.models import Alert, AlertStatus, EventKind, Notification
from indicadores.outcomes import Severity
from tests.factories import PASSWORD, make_entity, make_member, make_unit
from tests.indicadores.alert_helpers import (
    CONFLICT_EVIDENCE,
    compute,
    new_ocid,
    sanction,
    single_bid,
)
from tests.workflows import drafts
from workflows.processes.process_models import IntegrityOverride

pytestmark = pytest.mark.django_db

S = AlertStatus
QUEUE = "/tramite/alertas/"


@pytest.fixture
def entity():
    return make_entity()


@pytest.fixture
def unit(entity):
    return make_unit(entity)


@pytest.fixture
def oic(entity):
    return make_member(Role.OIC, entity)


@pytest.fixture
def alert(entity, unit, oic):
    ocid = new_ocid(entity)
    compute(ocid, entity, unit, sanction(), single_bid())
    return Alert.objects.get(ocid=ocid, code="MX-SANC")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def detail(alert) -> str:
    return f"{QUEUE}{alert.pk}/"


def act(client, alert, **data):
    return client.post(f"{QUEUE}{alert.pk}/accion/", data)


# --- who sees what -------------------------------------------------------------------------------


def test_the_queue_lists_the_entitys_alerts_most_severe_first(client, alert, oic):
    response = login(client, oic).get(QUEUE)
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [row.code for row in rows] == ["MX-SANC", "MX-SINGLE-BID"]
    assert rows[0].severity == Severity.HIGH
    assert "Medicamentos Mexicanos" in response.content.decode()


def test_another_entitys_alerts_are_invisible(client, alert):
    stranger = make_member(Role.OIC, make_entity())
    login(client, stranger)
    assert list(client.get(QUEUE).context["page"]) == []
    assert client.get(detail(alert)).status_code == 404
    assert act(client, alert, accion="comentario", text="hola").status_code == 404
    assert not alert.events.filter(kind=EventKind.COMMENT).exists()


@pytest.mark.parametrize("role", [Role.CAPTURISTA, Role.APROBADOR, Role.ADMIN_ENTE, Role.EDITOR])
def test_only_the_oic_works_the_queue(client, alert, entity, unit, role):
    login(client, make_member(role, entity, unit if role != Role.EDITOR else None))
    assert client.get(QUEUE).status_code == 403
    assert client.get(detail(alert)).status_code == 404
    assert act(client, alert, accion="estado", to_status=S.IN_REVIEW).status_code == 404
    assert Alert.objects.get(pk=alert.pk).status == S.OPEN


def test_anonymous_people_are_sent_to_log_in(client, alert):
    assert client.get(QUEUE).status_code == 302
    assert client.get(detail(alert)).status_code == 302


# --- filters and pagination ----------------------------------------------------------------------


def test_filters_narrow_the_queue(client, alert, entity, unit, oic):
    other_unit = make_unit(entity)
    compute(new_ocid(entity), entity, other_unit, single_bid())
    login(client, oic)

    def codes(**query):
        response = client.get(QUEUE, query)
        assert response.status_code == 200
        return sorted((row.code, row.unit_id) for row in response.context["page"])

    assert codes(unit=unit.pk) == [("MX-SANC", unit.pk), ("MX-SINGLE-BID", unit.pk)]
    assert codes(code="MX-SINGLE-BID", unit=other_unit.pk) == [("MX-SINGLE-BID", other_unit.pk)]
    assert codes(severity=Severity.HIGH) == [("MX-SANC", unit.pk)]
    assert codes(supplier="medicamentos mexicanos") == [("MX-SANC", unit.pk)]
    assert codes(supplier="MME920427EM3") == [("MX-SANC", unit.pk)]
    assert codes(supplier="Nadie Más") == []
    alerts.change_status(alert=alert, user=oic, to_status=S.IN_REVIEW)
    assert codes(status=S.IN_REVIEW) == [("MX-SANC", unit.pk)]
    today = timezone.localdate()
    assert len(codes(since=today.isoformat(), until=today.isoformat())) == 3
    assert codes(until=(today - timedelta(days=1)).isoformat()) == []


def test_a_reversed_date_range_is_explained(client, alert, oic):
    response = login(client, oic).get(QUEUE, {"since": "2025-05-01", "until": "2025-04-01"})
    assert response.status_code == 200
    assert "posterior" in response.content.decode()


def test_the_queue_costs_the_same_queries_for_one_page_of_many_alerts(
    client, entity, unit, oic, django_assert_max_num_queries
):
    login(client, oic)
    compute(new_ocid(entity), entity, unit, sanction())
    client.get(QUEUE)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _index in range(30):
        person = make_member(Role.OIC, entity)
        ocid = new_ocid(entity)
        compute(ocid, entity, unit, sanction(), single_bid())
        alerts.assign(alert=Alert.objects.get(ocid=ocid, code="MX-SANC"), user=oic, assignee=person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert len(response.context["page"]) == 50


def test_pages_keep_the_filters(client, entity, unit, oic):
    for _index in range(51):
        compute(new_ocid(entity), entity, unit, single_bid())
    login(client, oic)
    first = client.get(QUEUE, {"code": "MX-SINGLE-BID"})
    assert "code=MX-SINGLE-BID&amp;pagina=2" in first.content.decode()
    second = client.get(QUEUE, {"code": "MX-SINGLE-BID", "pagina": 2})
    assert len(second.context["page"]) == 1


# --- the alert page ------------------------------------------------------------------------------


def test_the_detail_shows_the_evidence_readably(client, alert, oic):
    response = login(client, oic).get(detail(alert))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Registro que coincidió",
        "PDN S3 servidores sancionados (particulares)",
        "Tipo de coincidencia",
        "RFC",
        "01/03/2025",  # date of sync, read the Mexican way
        "Umbrales",
        "https://plataformadigitalnacional.org/sancionados",
        "Alerta abierta",
    ):
        assert text in html, text


def test_the_detail_names_the_codes_of_the_evidence_in_spanish(client, entity, unit, oic):
    ocid = new_ocid(entity)
    conflict = sanction(
        "MX-RFC-CSA150101AB1",
        code="MX-CONFLICT",
        explanation="Ana Torres Díaz, que intervino en este procedimiento (S2), declaró en S1 "
        "una participación en Consultores del Sur, S.A. de C.V. (coincidencia por RFC idéntico).",
        evidence=CONFLICT_EVIDENCE,
    )
    compute(ocid, entity, unit, conflict)
    html = login(client, oic).get(detail(Alert.objects.get(ocid=ocid))).content.decode()
    evidence = html[html.index('data-testid="evidencia"') : html.index('id="acciones"')]
    for label in (
        "S1 (declaraciones)",
        "RFC idéntico",
        "servidor que intervino en el procedimiento (S2)",
        "S2 (servidores que intervienen en contrataciones)",
        "nombre normalizado",
        "Accionista",
    ):
        assert label in evidence, label
    for code in ("rfc_exact", "s2_intervened", "normalised_name", "ACCI"):
        assert code not in html, code


def test_the_oic_walks_the_lifecycle_from_the_page(client, alert, oic):
    login(client, oic)
    assert act(client, alert, accion="estado", to_status=S.IN_REVIEW).status_code == 302
    response = act(client, alert, accion="estado", to_status=S.DISMISSED, text="")
    assert response.status_code == 422
    assert "justificación" in response.content.decode()
    response = act(client, alert, accion="estado", to_status=S.CONFIRMED, text="Vigente.")
    assert response.status_code == 302
    response = act(client, alert, accion="estado", to_status=S.REFERRED, reference_number="")
    assert response.status_code == 422
    assert (
        act(
            client, alert, accion="estado", to_status=S.REFERRED, reference_number="UR-7"
        ).status_code
        == 302
    )
    alert.refresh_from_db()
    assert (alert.status, alert.reference_number) == (S.REFERRED, "UR-7")
    assert "UR-7" in client.get(detail(alert)).content.decode()


def test_a_refused_action_keeps_what_was_typed(client, alert, oic):
    login(client, oic)
    act(client, alert, accion="estado", to_status=S.IN_REVIEW)
    response = act(
        client,
        alert,
        accion="solicitar",
        question="Explique por qué no se consultó el S3.",
        deadline=(timezone.localdate() - timedelta(days=2)).isoformat(),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Explique por qué no se consultó el S3." in html and "plazo" in html


def test_assign_and_comment_from_the_page(client, alert, entity, oic):
    colleague = make_member(Role.OIC, entity)
    login(client, oic)
    assert act(client, alert, accion="asignar", assignee=colleague.pk).status_code == 302
    assert act(client, alert, accion="comentario", text="Ver contrato.").status_code == 302
    alert.refresh_from_db()
    assert alert.assigned_to == colleague
    assert alert.events.last().text == "Ver contrato."
    outsider = make_member(Role.OIC, make_entity())
    response = act(client, alert, accion="asignar", assignee=outsider.pk)
    assert response.status_code == 422


# --- the purchasing unit answers ------------------------------------------------------------------


def test_the_units_approver_answers_and_others_get_404(client, alert, entity, unit, oic):
    approver = make_member(Role.APROBADOR, entity, unit)
    other = make_member(Role.APROBADOR, entity, make_unit(entity))
    stranger = make_member(Role.APROBADOR, make_entity())
    alerts.request_response(
        alert=alert,
        user=oic,
        question="Explique.",
        deadline=timezone.localdate() + timedelta(days=3),
    )
    url = f"{QUEUE}solicitudes/{alert.pk}/"
    for person in (other, stranger, oic):
        login(client, person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": "x"}).status_code == 404
    login(client, approver)
    assert alert.ocid in client.get(f"{QUEUE}solicitudes/").content.decode()
    assert client.post(url, {"answer": ""}).status_code == 422
    assert client.post(url, {"answer": "Se consultó."}).status_code == 302
    alert.refresh_from_db()
    assert alert.response_answer == "Se consultó." and alert.responded_by == approver


def test_notices_list_and_mark_read(client, alert, oic):
    login(client, oic)
    response = client.get("/tramite/avisos/")
    assert alert.ocid in response.content.decode()
    client.post("/tramite/avisos/")
    assert not Notification.objects.filter(recipient=oic, read_at__isnull=True).exists()


# --- what the approvers wrote ------------------------------------------------------------------


def test_the_detail_shows_why_approvers_published_over_the_finding(client):
    world = drafts.people("SALUD")
    run, _task = drafts.tender_in_capture(world)
    process = run.contracting_process
    planning = process.stage_runs.get(stage="planning")
    oic = make_member(Role.OIC, world["entity"])
    IntegrityOverride.objects.create(
        contracting_process=process,
        stage_process=planning,
        release_id=planning.release_id,
        code="MX-SANC",
        subject="MX-RFC-MME920427EM3",
        name="Proveedor sancionado",
        severity="high",
        explanation="El proveedor tiene una inhabilitación vigente en el S3.",
        justification="La inhabilitación fue suspendida por resolución judicial.",
        user=world["aprobador"],
    )
    compute(process.ocid, world["entity"], world["unit"], sanction(), single_bid())
    login(client, oic)
    sanc = Alert.objects.get(ocid=process.ocid, code="MX-SANC")
    html = client.get(detail(sanc)).content.decode()
    assert "Justificaciones de quien aprobó" in html
    assert "La inhabilitación fue suspendida por resolución judicial." in html
    assert f"/tramite/procesos/{process.pk}/" in html  # the process's staff page
    other = Alert.objects.get(ocid=process.ocid, code="MX-SINGLE-BID")
    assert "resolución judicial" not in client.get(detail(other)).content.decode()


def test_the_history_reads_the_request_and_its_deadline(client, alert, oic):
    deadline = timezone.localdate() + timedelta(days=4)
    alerts.request_response(alert=alert, user=oic, question="Explique el fallo.", deadline=deadline)
    html = login(client, oic).get(detail(alert)).content.decode()
    assert f"plazo {deadline:%d/%m/%Y}" in html and "Explique el fallo." in html


def test_the_alert_page_costs_the_same_queries_with_a_long_history(
    client, alert, entity, oic, django_assert_max_num_queries
):
    login(client, oic)
    client.get(detail(alert))
    with CaptureQueriesContext(connection) as short:
        client.get(detail(alert))
    people = [make_member(Role.OIC, entity) for _index in range(5)]
    for person in people:
        alerts.assign(alert=alert, user=oic, assignee=person)
        alerts.comment(alert=alert, user=person, text="Revisado.")
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(detail(alert))
    assert response.content.decode().count("Revisado.") == 5
