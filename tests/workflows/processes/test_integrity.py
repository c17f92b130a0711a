"""Integrity findings at decision time: the candidate record, the approver's panel, justifications.

The findings come from sources registered with ``workflows.processes.integrity.register_source``
(the contract ``indicadores`` fills from its ``ready()``). Here a test source is registered through
that same contract: a real function that reads the candidate's compiled release and flags the
awarded suppliers found in a small registry of its own, with the evidence shaped as the mirrors'
matches are (integraciones/matching.py). The registry is emptied first, so only this source speaks.
"""

import orjson
import pytest
from django.test import Client

from ocds_pages.models import Record, Release
from tests.indicadores.alert_helpers import CONFLICT_EVIDENCE
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.base.procedures import Stage
from workflows.processes import integrity, process_services
from workflows.processes.integrity import IntegrityFinding, register_source
from workflows.processes.integrity_display import evidence_rows
from workflows.processes.process_models import AuditAction, AuditEntry, IntegrityOverride

pytestmark = pytest.mark.django_db

SANCTIONED_RFC = "MME920427EM3"  # the supplier form_values.award() awards to
SANCTION_ROW = {
    "source": "S3 Servidores y particulares sancionados (prueba)",
    "fetched_at": "2026-11-30T06:00:00+00:00",
    "match_kind": "rfc_exact",
    "rfc": SANCTIONED_RFC,
    "file_number": "EXP-2025-0042",
    "disqualifications": [{"start": "2025-06-01", "end": "2027-06-01", "term": "2 años"}],
}


def awarded_suppliers(compiled: dict) -> list[dict]:
    return [
        supplier
        for award in compiled.get("awards") or []
        for supplier in award.get("suppliers") or []
    ]


def party_rfc(compiled: dict, party_id: str) -> str:
    for party in compiled.get("parties") or []:
        if party.get("id") == party_id:
            return (party.get("identifier") or {}).get("id", "")
    return ""


class SanctionRegistrySource:
    """Flags each awarded supplier whose RFC is in ``sanctioned``; remembers what it judged."""

    def __init__(self, sanctioned=(SANCTIONED_RFC,), *, blocking=True, amount_threshold=None):
        self.sanctioned = set(sanctioned)
        self.blocking = blocking
        self.amount_threshold = amount_threshold
        self.candidates = []

    def __call__(self, candidate) -> list[IntegrityFinding]:
        self.candidates.append(candidate)
        compiled = candidate.compiled_release
        findings = []
        for supplier in awarded_suppliers(compiled):
            rfc = party_rfc(compiled, supplier.get("id"))
            if rfc in self.sanctioned:
                findings.append(self._sanction(supplier, rfc))
        findings += self._amount(compiled)
        return findings

    def _sanction(self, supplier, rfc) -> IntegrityFinding:
        return IntegrityFinding(
            code="MX-SANC",
            name="Proveedor sancionado",
            severity="high",
            explanation=f"{supplier.get('name')} tiene una inhabilitación vigente en el S3.",
            subject=supplier.get("name", ""),
            evidence={**SANCTION_ROW, "rfc": rfc},
            links=(("Registro en el S3", "/admin/integraciones/s3sanction/1/"),),
            blocking=self.blocking,
        )

    def _amount(self, compiled) -> list[IntegrityFinding]:
        if self.amount_threshold is None:
            return []
        total = sum(a.get("value", {}).get("amount", 0) for a in compiled.get("awards") or [])
        if total <= self.amount_threshold:
            return []
        return [
            IntegrityFinding(
                code="MX-ADMAX",
                name="Adjudicación directa sobre el máximo",
                severity="medium",
                explanation="El monto adjudicado excede el máximo de adjudicación directa.",
                evidence={"value": total, "threshold": self.amount_threshold},
            )
        ]


@pytest.fixture
def source(monkeypatch):
    """Only the test source is registered while the test runs."""
    monkeypatch.setattr(integrity, "_sources", {})
    registered = SanctionRegistrySource(amount_threshold=200000)
    register_source("prueba", registered)
    return registered


def award_in_review(world, walker=None):
    """A direct award with planning and tender published and its award sent to review."""
    walker = walker or Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    walker.start("capturista", process, "award")
    walker.capture("capturista", process, "award", values.award())
    run = walker.run(process, "award")
    return process, run, process_services.active_task(run)


def review_url(task) -> str:
    return f"/tramite/tareas/{task.pk}/"


def test_candidate_is_the_pending_stage_applied_to_the_published_record(source):
    world = drafts.people()
    process, run, _task = award_in_review(world)
    published = Release.objects.filter(ocid=process.ocid).count()
    candidate = process_services.stage_candidate(run)
    compiled = candidate.compiled_release
    assert (candidate.ocid, candidate.stage) == (process.ocid, Stage.AWARD)
    assert (candidate.entity_id, candidate.unit_id) == (process.entity_id, process.unit_id)
    assert compiled["tender"]["procurementMethod"] == "direct"  # already published
    assert compiled["planning"]["budget"]["amount"]["amount"] == 250000
    assert awarded_suppliers(compiled)[0]["name"].startswith("Medicamentos Mexicanos")  # pending
    assert party_rfc(compiled, awarded_suppliers(compiled)[0]["id"]) == SANCTIONED_RFC
    assert Release.objects.filter(ocid=process.ocid).count() == published  # nothing published
    assert [f.code for f in process_services.stage_findings(run)] == ["MX-SANC", "MX-ADMAX"]


def test_review_panel_shows_each_finding_with_its_evidence_before_the_decision(source):
    world = drafts.people()
    walker = Walker(world)
    _process, _run, task = award_in_review(world, walker)
    page = walker.as_("aprobador").get(review_url(task)).content.decode()
    panel = page[page.index('data-testid="hallazgos-integridad"') :]
    assert panel.index("Hallazgos de integridad") < panel.index("Aprobar y publicar")
    for text in (
        "MX-SANC · Proveedor sancionado",
        "Severidad Alta",
        "Bloquea la aprobación",
        "tiene una inhabilitación vigente en el S3.",
        "S3 Servidores y particulares sancionados (prueba)",  # the registry row's source
        "30/11/2026",  # its sync date, readable
        "RFC idéntico",  # how it matched
        "EXP-2025-0042",
        "01/06/2027",
        'href="/admin/integraciones/s3sanction/1/"',
        "MX-ADMAX · Adjudicación directa sobre el máximo",
        "Severidad Media",
        "221,500",  # the value and the threshold of the medium finding
        "200,000",
    ):
        assert text in panel, text
    # Only the blocking finding asks for a justification.
    assert panel.count('form="decision"') == 1
    key = process_services.finding_key(process_services.stage_findings(_run)[0])
    assert f'name="{key}"' in panel


def test_approval_without_justification_is_refused_and_nothing_is_lost(source):
    world = drafts.people()
    walker = Walker(world)
    process, run, task = award_in_review(world, walker)
    before = Release.objects.filter(ocid=process.ocid).count()
    response = walker.as_("aprobador").post(review_url(task), {"accion": "aprobar"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "impide aprobar sin una justificación escrita; no se publicó nada" in page
    assert "Escriba la justificación: sin ella no se puede aprobar." in page
    assert Release.objects.filter(ocid=process.ocid).count() == before
    assert not IntegrityOverride.objects.exists()
    assert process_services.active_task(run).flow_task.name == "review"
    run.refresh_from_db()
    assert run.stage_draft.values["proveedores"][0]["rfc"] == SANCTIONED_RFC


def test_a_blank_justification_is_no_justification(source):
    world = drafts.people()
    process, run, task = award_in_review(world)
    key = process_services.finding_key(process_services.stage_findings(run)[0])
    before = Release.objects.filter(ocid=process.ocid).count()
    with pytest.raises(process_services.IntegrityBlocked) as blocked:
        process_services.review_approve(
            task=task, user=world["aprobador"], justifications={key: "  "}
        )
    assert [f.code for f in blocked.value.missing] == ["MX-SANC"]
    assert Release.objects.filter(ocid=process.ocid).count() == before


def test_approval_with_justification_stores_it_audits_it_and_shows_it(source):
    world = drafts.people()
    walker = Walker(world)
    process, run, task = award_in_review(world, walker)
    key = process_services.finding_key(process_services.stage_findings(run)[0])
    reason = "La inhabilitación fue suspendida por resolución judicial del 2 de noviembre."
    response = walker.as_("aprobador").post(review_url(task), {"accion": "aprobar", key: reason})
    assert response.status_code == 302, response.content.decode()[-2000:]
    run.refresh_from_db()
    assert run.release_id
    override = IntegrityOverride.objects.get()
    assert (override.code, override.severity, override.justification) == ("MX-SANC", "high", reason)
    assert override.subject.startswith("Medicamentos Mexicanos")
    assert override.evidence["match_kind"] == "rfc_exact"
    assert override.evidence["fetched_at"] == SANCTION_ROW["fetched_at"]
    assert (override.user, override.stage_process, override.release_id) == (
        world["aprobador"],
        run,
        run.release_id,
    )
    assert override.task_id == task.pk and override.contracting_process == process
    entry = AuditEntry.objects.get(action=AuditAction.INTEGRITY_OVERRIDE)
    assert entry.user == world["aprobador"] and entry.stage_process == run
    assert "MX-SANC" in entry.reason and reason in entry.reason
    history = walker.as_("aprobador2").get(f"/tramite/procesos/{process.pk}/").content.decode()
    assert "Aprobó con hallazgos de integridad justificados" in history
    section = history[history.index('data-testid="hallazgos-justificados"') :]
    assert reason in section and "apr-IMSS" in section


def test_the_findings_are_judged_again_on_the_release_being_published(source):
    world = drafts.people()
    process, run, task = award_in_review(world)
    key = process_services.finding_key(process_services.stage_findings(run)[0])
    source.candidates.clear()
    process_services.review_approve(
        task=task, user=world["aprobador"], justifications={key: "Revisado."}
    )
    [candidate] = source.candidates
    record = Record.objects.get(ocid=process.ocid)
    assert candidate.compiled_release == orjson.loads(record.compiled_release)


def test_partly_justified_keeps_what_was_written(monkeypatch):
    monkeypatch.setattr(integrity, "_sources", {})
    register_source("prueba", SanctionRegistrySource(("MME920427EM3", "FAR010101AB1")))
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    walker.start("capturista", process, "award")
    captured = values.award()
    captured["proveedores"].append(
        {"nombre": "Farmacéutica del Bajío, S.A. de C.V.", "rfc": "FAR010101AB1"}
    )
    walker.capture("capturista", process, "award", captured)
    run = walker.run(process, "award")
    first, second = process_services.stage_findings(run)
    written = "Proveedor único del principio activo; consta en el oficio 123."
    response = walker.as_("aprobador").post(
        review_url(process_services.active_task(run)),
        {"accion": "aprobar", process_services.finding_key(first): written},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert written in page  # nothing typed is lost
    assert f'id="{process_services.finding_key(second)}-error"' in page
    assert f'id="{process_services.finding_key(first)}-error"' not in page
    assert not IntegrityOverride.objects.exists()


def test_findings_that_do_not_block_never_stop_the_approval(monkeypatch):
    monkeypatch.setattr(integrity, "_sources", {})
    register_source("prueba", SanctionRegistrySource(blocking=False, amount_threshold=200000))
    world = drafts.people()
    walker = Walker(world)
    process, run, task = award_in_review(world, walker)
    page = walker.as_("aprobador").get(review_url(task)).content.decode()
    assert "Severidad Alta" in page and "Bloquea la aprobación" not in page
    walker.decide("aprobador", process, "award")
    assert not IntegrityOverride.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.INTEGRITY_OVERRIDE).exists()


def test_a_clean_process_says_so(monkeypatch):
    monkeypatch.setattr(integrity, "_sources", {})
    register_source("prueba", SanctionRegistrySource(sanctioned=()))
    world = drafts.people()
    walker = Walker(world)
    _process, _run, task = award_in_review(world, walker)
    page = walker.as_("aprobador").get(review_url(task)).content.decode()
    assert 'data-testid="sin-hallazgos"' in page


def test_evidence_links_are_only_web_addresses(monkeypatch):
    def hostile(candidate):
        return [
            IntegrityFinding(
                code="MX-X",
                name="Prueba",
                severity="low",
                explanation="<script>alert(1)</script>",
                evidence={"url": "javascript:alert(1)", "registro": "https://example.org/r/1"},
                links=(("malo", "javascript:alert(1)"), ("bueno", "/tramite/")),
            )
        ]

    monkeypatch.setattr(integrity, "_sources", {})
    register_source("prueba", hostile)
    world = drafts.people()
    walker = Walker(world)
    _process, _run, task = award_in_review(world, walker)
    page = walker.as_("aprobador").get(review_url(task)).content.decode()
    assert 'href="javascript:' not in page and "<script>alert(1)</script>" not in page
    assert 'href="https://example.org/r/1"' in page and 'href="/tramite/">bueno' in page


def test_review_page_queries_do_not_grow_with_the_findings(
    monkeypatch, django_assert_num_queries, django_assert_max_num_queries
):
    monkeypatch.setattr(integrity, "_sources", {})
    world = drafts.people()
    walker = Walker(world)
    _process, _run, task = award_in_review(world, walker)
    client = Client()
    client.force_login(world["aprobador"])
    client.get(review_url(task))  # warm the per-process caches (schema, merger)
    register_source("prueba", SanctionRegistrySource(sanctioned=()))
    with django_assert_max_num_queries(REVIEW_QUERY_BUDGET) as clean:
        assert client.get(review_url(task)).status_code == 200
    register_source("prueba", SanctionRegistrySource(amount_threshold=1))
    with django_assert_num_queries(len(clean.captured_queries)):
        page = client.get(review_url(task)).content.decode()
    assert "MX-SANC" in page and "MX-ADMAX" in page


# Measured: 18 — session, user, memberships, task, stage process (twice, Viewflow's activation and
# ours), draft, form version, documents, the audit trail, the published record (what the stage
# started from, compared with the capture: issue 16 item 7; read once, shared with the
# impossible-data check when a period asks for it), units, the submitter; the candidate record
# costs 5 (the next release's slot: the stored releases and the roles the record's parties already
# have; the buyer entity, the published releases, the extension fields).
REVIEW_QUERY_BUDGET = 18


def texts(rows) -> list[str]:
    return [text for row in rows for text in (row.text, *texts(row.children)) if text]


def test_the_codes_of_the_indicators_evidence_read_as_their_spanish_names():
    """The approver's and the capturista's panels show the names indicadores registers
    (integrity.register_value_labels), never the codes the evidence keeps."""
    shown = texts(evidence_rows(CONFLICT_EVIDENCE))
    for label in (
        "S1 (declaraciones)",
        "RFC idéntico",
        "servidor que intervino en el procedimiento (S2)",
        "S2 (servidores que intervienen en contrataciones)",
        "nombre normalizado",
        "Accionista",
    ):
        assert label in shown, label
    for code in ("rfc_exact", "s2_intervened", "normalised_name", "ACCI", "s1", "s2"):
        assert code not in shown, code


def test_evidence_reads_as_labelled_spanish_rows():
    rows = evidence_rows(
        {
            "matches": [
                {
                    "system": "s3",
                    "match_label": "CURP",
                    "match_kind": "curp_exact",
                    "serious": True,
                    "fetched_at": "2026-11-30T18:00:00+00:00",
                }
            ],
            "thresholds": {"days": 15},
            "sanction_types": ["INHABILITACION", "MULTA"],
            "clave_propia": None,
            "resolution_date": "2026-13-40",
        }
    )
    [matches, thresholds, types, own, resolution] = rows
    assert matches.label == "Coincidencias en los registros"
    assert [(r.label, r.text) for r in matches.children] == [
        ("Sistema", "S3 (sancionados)"),
        ("Coincidencia por", "CURP idéntica"),
        ("Falta grave", "Sí"),
        ("Sincronizado", "30/11/2026 12:00"),  # local time (America/Mexico_City)
    ]
    assert (thresholds.label, thresholds.children[0].label) == ("Umbrales", "Días")
    two = evidence_rows({"disqualifications": [{"start": "2025-01-01"}, {"start": "2026-01-01"}]})
    assert [r.label for r in two[0].children] == ["Inhabilitaciones 1", "Inhabilitaciones 2"]
    assert evidence_rows({"thresholds": {}})[0].text == "—"
    assert types.text == "INHABILITACION, MULTA"
    assert (own.label, own.text) == ("clave_propia", "—")  # unknown keys are shown as they come
    assert resolution.text == "2026-13-40"  # not a date: shown as it came
