"""How an alert's evidence reads, and notices that must not fail an action."""

import pytest
from django.core import mail
from django.utils import timezone

from cms.roles import Role
from indicadores import alerts, notifications
from indicadores.evidence import readable
from indicadores.models import Alert, Notification
from tests.factories import PASSWORD, make_entity, make_member, make_unit
from tests.indicadores.alert_helpers import (
    CONFLICT_EVIDENCE,
    SANCTION_EVIDENCE,
    compute,
    new_ocid,
    sanction,
    single_bid,
)


def sections(evidence) -> dict:
    return {s.key: (s.title, [(r.label, r.value) for r in s.rows]) for s in readable(evidence)}


def test_registry_rows_get_spanish_labels_and_mexican_dates():
    title, rows = sections(SANCTION_EVIDENCE)["registry"]
    assert title == "Registro que coincidió"
    assert ("Fecha de sincronización", "01/03/2025 06:00") in rows
    assert ("Tipo de coincidencia", "RFC idéntico") in rows
    assert ("Fuente", "PDN S3 servidores sancionados (particulares)") in rows


def test_known_sections_come_first_and_nothing_is_hidden():
    evidence = {
        "zeta_extra": {"monto_total": 1250000.5},
        "registry": {"match_kind": "normalised_name", "url": "https://example.org/s3/1"},
        "values": {"numero_de_ofertas": 1, "fecha_firma": "2025-03-20", "desierto": False},
        "nota": "texto libre",
        "lista": ["A", "B"],
    }
    result = readable(evidence)
    assert [s.key for s in result] == ["values", "registry", "zeta_extra", "otros"]
    assert sections(evidence)["values"][1] == [
        ("Numero de ofertas", "1"),
        ("Fecha firma", "20/03/2025"),
        ("Desierto", "no"),
    ]
    registry = result[1].rows
    assert registry[0].value == "nombre normalizado"
    assert registry[1].is_url
    assert sections(evidence)["zeta_extra"] == ("Zeta extra", [("Monto total", "1,250,000.50")])
    assert sections(evidence)["otros"][1] == [("Lista", "A, B"), ("Nota", "texto libre")]


def test_codes_of_the_engine_read_as_spanish_labels():
    found = {s.title: {r.label: r.value for r in s.rows} for s in readable(CONFLICT_EVIDENCE)}
    match = found["Coincidencia en el registro"]
    assert match["Sistema"] == "S1 (declaraciones)"
    assert match["Tipo de coincidencia"] == "RFC idéntico"
    assert match["Tipo de declaración"] == "de modificación"
    assert "Coincidió por" not in match  # the label the engine also wrote would repeat it
    # The objects inside a match read as sections of their own, not squeezed into one line.
    assert found["Participación"]["Tipo"] == "Accionista"
    assert found["Participación"]["Relación"] == "el propio declarante"
    link = found["Vínculo con el proceso"]
    assert link["Tipo"] == "servidor que intervino en el procedimiento (S2)"
    assert link["Coincidencia del declarante"] == "nombre normalizado"
    servant = found["Persona servidora pública"]
    assert servant["Sistema"] == "S2 (servidores que intervienen en contrataciones)"
    shown = str(found)
    for code in ("rfc_exact", "s2_intervened", "normalised_name", "ACCI", "DECLARANTE"):
        assert code not in shown, code


def test_registry_catalogue_keys_read_as_their_names():
    evidence = {
        "matches": [
            {
                "system": "s3",
                "subject": "moral",
                "sanction_types": ["I", "M"],
                "procedures": [{"act": "contratacion", "area": "AREA_RESPONSABLE_CONTRATACION"}],
            }
        ],
        "thresholds": {},
    }
    [match] = readable(evidence)  # an empty object adds no section
    values = {row.label: row for row in match.rows}
    assert values["Sistema"].value == "S3 (sancionados)"
    assert values["Sujeto"].value == "persona moral"
    assert values["Tipos de sanción"].value == "inhabilitación, multa"
    assert values["Procedimientos"].table.rows == [
        ["contratación de adquisiciones", "área responsable de la contratación"]
    ]


def test_empty_evidence_has_no_sections():
    assert readable({}) == [] and readable(None) == []


@pytest.mark.django_db
def test_a_mail_server_that_is_down_never_undoes_the_notice(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    person = make_member(Role.OIC, make_entity())
    person.email = "oic@ente.gob.mx"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([person], "Alerta nueva", url="/tramite/alertas/1/")
    assert Notification.objects.get().recipient == person
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_admin_menu_leads_the_oic_to_the_queue(client):
    entity = make_entity()
    oic = make_member(Role.OIC, entity)
    approver = make_member(Role.APROBADOR, entity)
    assert client.login(username=oic.username, password=PASSWORD)
    html = client.get("/admin/").content.decode()
    assert "/tramite/alertas/" in html and "/tramite/alertas/solicitudes/" not in html
    assert client.login(username=approver.username, password=PASSWORD)
    html = client.get("/admin/").content.decode()
    assert "/tramite/alertas/solicitudes/" in html


def test_registry_matches_as_the_engine_writes_them_read_as_sections_and_tables():
    evidence = {
        "party": {"party_id": "MX-RFC-XAXX010101000", "name": "Empresa Fantasma", "rfc": "X"},
        "registry_synced_at": "2025-03-15T11:00:00Z",
        "matches": [
            {
                "system": "69b",
                "source": "SAT, listado 69-B",
                "fetched_at": "2025-03-15T11:00:00Z",
                "match_kind": "rfc_exact",
                "events": [
                    {"stage": "Presunto", "date": "2024-06-01", "sat_notice": "500-05-1"},
                    {"stage": "Definitivo", "date": "2024-11-20", "dof_notice": "DOF 2024-11"},
                ],
            }
        ],
    }
    result = readable(evidence)
    assert [s.title for s in result] == [
        "Parte del proceso",
        "Coincidencia en el registro",
        "Otros datos",
    ]
    match = {row.label: row for row in result[1].rows}
    assert match["Tipo de coincidencia"].value == "RFC idéntico"
    assert match["Sistema"].value == "lista 69-B del SAT"
    assert match["Fecha de sincronización"].value == "15/03/2025 05:00"  # shown in Mexico City
    table = match["Historial en el registro"].table
    assert table.headers == ["Situación", "Fecha", "Oficio del SAT", "Publicación en el DOF"]
    assert table.rows == [
        ["Presunto", "01/06/2024", "500-05-1", ""],
        ["Definitivo", "20/11/2024", "", "DOF 2024-11"],
    ]
    assert result[2].rows[0].label == "Última sincronización del registro"


@pytest.mark.django_db
def test_the_dashboard_tells_each_person_what_waits_for_them(client):
    entity = make_entity()
    unit = make_unit(entity)
    oic = make_member(Role.OIC, entity)
    approver = make_member(Role.APROBADOR, entity, unit)
    ocid = new_ocid(entity)
    compute(ocid, entity, unit, sanction(), single_bid())
    alert = Alert.objects.get(code="MX-SANC")
    alerts.request_response(
        alert=alert, user=oic, question="Explique.", deadline=timezone.localdate()
    )
    assert client.login(username=oic.username, password=PASSWORD)
    html = client.get("/admin/").content.decode()
    assert "2 alertas abiertas o en revisión en su ente" in html
    assert "Severidad Alta: 1" in html and "Severidad Media: 1" in html
    assert "1 aviso sin leer" in html
    assert client.login(username=approver.username, password=PASSWORD)
    html = client.get("/admin/").content.decode()
    assert "1 solicitud del OIC por responder" in html
    assert "alertas abiertas" not in html
    capturista = make_member(Role.CAPTURISTA, entity, unit)
    assert client.login(username=capturista.username, password=PASSWORD)
    assert "Alertas de integridad" not in client.get("/admin/").content.decode()


def test_flat_lists_read_as_one_table_and_ocds_codes_in_spanish():
    evidence = {
        "checked": [
            {"path": "tender/tenderPeriod/startDate", "date": "2025-02-03"},
            {"path": "awards/date", "date": "2025-03-05"},
        ],
        "missing": ["tenderNotice", "awardNotice"],
        "procurement_method": "open",
    }
    checked, others = readable(evidence)
    assert checked.title == "Fechas revisadas"
    assert checked.rows[0].table.headers == ["Dato", "Fecha"]
    assert checked.rows[0].table.rows[1] == ["awards/date", "05/03/2025"]
    assert [(row.label, row.value) for row in others.rows] == [
        ("Faltan", "Convocatoria, Aviso de adjudicación (fallo)"),
        ("Método de contratación", "Licitación pública"),
    ]
