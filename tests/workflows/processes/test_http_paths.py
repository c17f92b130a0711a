"""Each procedure type walked over HTTP from planning to implementation, with its events."""

import pytest

from ocds_pages.models import Record, Release
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.processes.process_models import AuditAction, AuditEntry, ContractingProcess
from workflows.processes.process_services import active_task

pytestmark = pytest.mark.django_db


def compiled(process):
    import orjson

    return orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)


def tags(process):
    return [r.tags[0] for r in Release.objects.filter(ocid=process.ocid).order_by("date", "pk")]


def test_direct_award_with_return_amendment_updates_and_termination():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    # Planning is returned once with its reason, corrected and approved.
    walker.capture("capturista", process, "planning", values.planning())
    walker.decide("aprobador", process, "planning", action="devolver", reason="Falta el programa.")
    page = walker.as_("capturista").get("/tramite/").content.decode()
    assert "Falta el programa." in page
    walker.capture("capturista", process, "planning", values.planning())
    walker.decide("aprobador", process, "planning")
    walker.stage(process, "tender", values.tender("direct"))
    walker.stage(process, "award", values.award())
    walker.stage(process, "contract", values.contract())
    walker.stage(process, "implementation", values.implementation(1))
    walker.stage(process, "contractAmendment", values.contract_amendment())
    walker.stage(process, "implementationUpdate", values.implementation(2))
    walker.stage(process, "implementationUpdate", values.implementation(3))
    walker.stage(process, "contractTermination", values.reason("Cumplimiento total."))
    assert tags(process) == [
        "planning", "tender", "award", "contract", "implementation", "contractAmendment",
        "implementationUpdate", "implementationUpdate", "contractTermination",
    ]  # fmt: skip
    drafts.assert_releases_valid(process.ocid)
    record = compiled(process)
    assert record["tender"]["procurementMethod"] == "direct"
    assert (
        "fracción III" in record["tender"]["procurementMethodRationale"]
        or "fr. III" in (record["tender"]["procurementMethodRationale"])
    )
    contract = record["contracts"][0]
    assert contract["status"] == "terminated"
    assert contract["value"]["amount"] == 265800
    assert contract["amendments"][0]["rationale"].startswith("Incremento")
    assert len(contract["implementation"]["transactions"]) >= 1
    returned = AuditEntry.objects.get(contracting_process=process, action=AuditAction.RETURN)
    assert returned.reason == "Falta el programa." and returned.user == world["aprobador"]
    first_save = AuditEntry.objects.filter(
        contracting_process=process, action=AuditAction.SAVE_DRAFT
    ).first()
    assert {
        "path": "justificacion",
        "before": "∅",
        "after": values.planning()["justificacion"],
    } in (first_save.diff)
    page = walker.as_("aprobador2").get(f"/tramite/procesos/{process.pk}/").content.decode()
    for text in ("Devolvió a captura", "Falta el programa.", "Aprobó y publicó", "apr-IMSS"):
        assert text in page
    process.refresh_from_db()
    assert process.closed


def test_public_tender_with_tender_amendment_and_award_cancellation():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "lp_nacional")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("open"))
    walker.stage(process, "tenderAmendment", values.tender_amendment())
    walker.start("capturista", process, "award")
    walker.capture("capturista", process, "award", values.award())
    task = active_task(walker.run(process, "award"))
    page = walker.as_("aprobador").get(f"/tramite/tareas/{task.pk}/").content.decode()
    assert "No se registraron las proposiciones" in page
    walker.decide("aprobador", process, "award")
    walker.stage(process, "awardCancellation", values.reason("Error en la evaluación."))
    assert tags(process) == [
        "planning", "tender", "tenderAmendment", "award", "awardCancellation"
    ]  # fmt: skip
    drafts.assert_releases_valid(process.ocid)
    record = compiled(process)
    assert record["tender"]["procurementMethod"] == "open"
    assert record["tender"]["amendments"][0]["rationale"].startswith("Junta de aclaraciones")
    assert record["awards"][0]["status"] == "cancelled"


def approver_page(walker, process, stage) -> str:
    task = active_task(walker.run(process, stage))
    return walker.as_("aprobador").get(f"/tramite/tareas/{task.pk}/").content.decode()


def assert_bids_recorded(record):
    """The compiled record holds both bids, their tenderers as parties and the reason."""
    details = {bid["status"]: bid for bid in record["bids"]["details"]}
    assert set(details) == {"valid", "disqualified"}
    assert details["valid"]["value"] == {"amount": 221500, "currency": "MXN"}
    assert details["disqualified"]["statusDetails"] == values.DISQUALIFIED_REASON
    assert details["disqualified"]["tenderers"] == [
        {"id": "MX-RFC-FAR010101AB1", "name": "Farmacéutica del Bajío, S.A. de C.V."}
    ]
    tenderers = {p["id"] for p in record["parties"] if "tenderer" in p["roles"]}
    assert {"MX-RFC-MME920427EM3", "MX-RFC-FAR010101AB1"} <= tenderers


def test_national_public_tender_from_planning_to_implementation():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "lp_nacional")
    walker.stage(process, "planning", values.planning())
    # The convocatoria gives exactly the 15 days LAASSP art. 32 requires: no warning.
    walker.start("capturista", process, "tender")
    walker.capture("capturista", process, "tender", values.tender("open", days=15))
    assert "menor al mínimo" not in approver_page(walker, process, "tender")
    walker.decide("aprobador", process, "tender")
    walker.stage(process, "clarificationMeeting", values.clarification_meeting())
    # The award records the bids: one solvent, one disqualified with its reason.
    walker.start("capturista", process, "award")
    walker.capture("capturista", process, "award", values.award(values.bids()))
    assert "No se registraron las proposiciones" not in approver_page(walker, process, "award")
    walker.decide("aprobador", process, "award")
    walker.stage(process, "contract", values.contract())
    walker.stage(process, "implementation", values.implementation(1))
    assert tags(process) == [
        "planning", "tender", "tenderUpdate", "award", "contract", "implementation"
    ]  # fmt: skip
    drafts.assert_releases_valid(process.ocid)
    record = compiled(process)
    assert record["tender"]["procurementMethod"] == "open"
    assert record["tender"]["clarificationMeetings"][0]["date"].startswith("2026-02-09T10:00")
    assert_bids_recorded(record)
    implementation = record["contracts"][0]["implementation"]
    assert implementation["milestones"][0]["title"] == "Entrega 1"
    assert implementation["transactions"][0]["value"]["amount"] == 55375


def test_a_disqualified_bid_without_its_reason_cannot_be_sent():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "lp_nacional")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("open", days=15))
    walker.start("capturista", process, "award")
    without_reason = values.bids()
    without_reason[1]["motivo"] = ""
    response = walker.capture(
        "capturista", process, "award", values.award(without_reason), expect=422
    )
    assert "Falta el motivo por el que se desechó." in response.content.decode()
    assert active_task(walker.run(process, "award")).flow_task.name == "capture"


def test_direct_awards_have_no_clarification_meeting():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    response = walker.as_("capturista").post(
        f"/tramite/procesos/{process.pk}/iniciar/", {"stage": "clarificationMeeting"}
    )
    assert response.status_code == 302
    assert not process.stage_runs.filter(stage="clarificationMeeting").exists()


def test_invitation_to_three_from_planning_to_implementation():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "invitacion3")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("selective"))
    walker.stage(process, "award", values.award(values.bids()))
    walker.stage(process, "contract", values.contract())
    walker.stage(process, "implementation", values.implementation(1))
    assert tags(process) == ["planning", "tender", "award", "contract", "implementation"]
    drafts.assert_releases_valid(process.ocid)
    record = compiled(process)
    assert record["tender"]["procurementMethod"] == "selective"
    invited = {tenderer["id"] for tenderer in record["tender"]["tenderers"]}
    assert len(invited) >= 3
    assert_bids_recorded(record)
    bidders = {t["id"] for bid in record["bids"]["details"] for t in bid["tenderers"]}
    assert bidders <= invited


def test_invitation_with_two_invited_cannot_be_sent():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "invitacion3")
    walker.stage(process, "planning", values.planning())
    walker.start("capturista", process, "tender")
    two = values.tender("selective")
    two["invitados"] = two["invitados"][:2]
    response = walker.capture("capturista", process, "tender", two, expect=422)
    assert response.context["form"].formsets["invitados"].non_form_errors()
    assert active_task(walker.run(process, "tender")).flow_task.name == "capture"
    assert walker.run(process, "tender").stage_draft.values["invitados"][1]["rfc"] == "FAR010101AB1"


def test_desierta_starts_a_linked_replacement_process():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "lp_internacional")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("open", days=25))
    walker.stage(process, "tenderUnsuccessful", values.reason("Ninguna proposición solvente."))
    assert compiled(process)["tender"]["status"] == "unsuccessful"
    response = walker.as_("capturista").post(f"/tramite/procesos/{process.pk}/sustituir/")
    assert response.status_code == 302
    new = ContractingProcess.objects.get(replaces=process)
    walker.stage(new, "planning", values.planning())
    related = compiled(new)["relatedProcesses"][0]
    assert related["identifier"] == process.ocid
    assert related["relationship"] == ["unsuccessfulProcess"]
    drafts.assert_releases_valid(new.ocid)


def test_tender_cancellation_closes_the_process():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "lp_tratados")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("open", days=41))
    walker.stage(process, "tenderCancellation", values.reason("Caso fortuito (art. 38)."))
    assert compiled(process)["tender"]["status"] == "cancelled"
    assert tags(process)[-1] == "tenderCancellation"
    response = walker.as_("capturista").post(
        f"/tramite/procesos/{process.pk}/iniciar/", {"stage": "award"}
    )
    assert response.status_code == 302
    assert not process.stage_runs.filter(stage="award").exists()


def test_short_tender_period_is_a_warning_for_the_approver():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "lp_tratados")
    walker.stage(process, "planning", values.planning())
    walker.start("capturista", process, "tender")
    walker.capture("capturista", process, "tender", values.tender("open", days=20))
    task = active_task(walker.run(process, "tender"))
    page = walker.as_("aprobador").get(f"/tramite/tareas/{task.pk}/").content.decode()
    assert "menor al mínimo de 40 días" in page
    assert "no tiene justificación" in page
