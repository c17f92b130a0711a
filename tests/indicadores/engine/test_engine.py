"""The engine: registry, both entry points, integrity findings, signals and the summary."""

import gc
import json

import pytest
from django.core.management import CommandError, call_command

from indicadores.engine.core import evaluate_batch, indicator, indicators
from indicadores.engine.runner import (
    BATCH_LISTENERS,
    Summary,
    evaluate_candidate,
    run,
    summarise,
)
from indicadores.outcomes import Outcome, OutcomeStatus, Severity
from indicadores.signals import outcomes_computed
from ocds_pages.publication import publish_releases
from tests.indicadores import builders as b
from tests.ocds_pages.factories import (
    SUPPLIER,
    make_award_release,
    make_entity,
    make_tender_release,
    own_ocid,
)
from workflows.base.procedures import Stage
from workflows.processes.integrity import findings_for

SUPPLIER_RFC = SUPPLIER["identifier"]["id"]


@pytest.fixture
def received():
    """Every outcomes_computed sent during the test, as (kwargs) dicts."""
    calls = []

    def listener(sender, **kwargs):
        calls.append(kwargs)

    outcomes_computed.connect(listener, dispatch_uid="test-engine-listener")
    yield calls
    outcomes_computed.disconnect(dispatch_uid="test-engine-listener")


def publish(entity, serial, *, awarded=True):
    ocid = own_ocid(entity, serial)
    releases = [make_tender_release(ocid=ocid, entity=entity)]
    if awarded:
        releases.append(make_award_release(ocid=ocid, entity=entity))
    publish_releases(releases=releases, entity=entity)
    return ocid


# --- registry -----------------------------------------------------------------------------------


def test_every_indicator_is_fully_declared():
    codes = [item.code for item in indicators()]
    assert len(codes) == len(set(codes))
    assert {"MX-SANC", "MX-EFOS", "MX-CONFLICT", "MX-SERV-SANC", "MX-NEWCO"} <= set(codes)
    for item in indicators():
        assert item.version >= 1
        assert str(item.name) and str(item.description) and item.source
        assert item.stages and set(item.stages) <= set(Stage)
        assert item.data
        assert item.severity in Severity.values
        json.dumps(item.thresholds)


# --- per process: candidate and integrity findings ----------------------------------------------


@pytest.mark.django_db
def test_findings_for_a_candidate_block_on_a_sanctioned_supplier():
    b.s3_sanction()
    b.taxpayer(rfc="PRE150101AB1", name="Presunta", events=(("presunto", "2025-01-01"),))
    release = b.compiled(suppliers=[None, b.party(name="Presunta", rfc="PRE150101AB1")])
    findings = findings_for(b.candidate(release, stage=Stage.AWARD))
    by_code = {(f.code, f.subject): f for f in findings}
    sanc = by_code[("MX-SANC", f"MX-RFC-{b.SUPPLIER_RFC}")]
    assert sanc.blocking and sanc.severity == "high"
    assert sanc.name == str(indicator("MX-SANC").name)
    assert sanc.evidence["matches"][0]["match_kind"] == "rfc_exact"
    efos = by_code[("MX-EFOS", "MX-RFC-PRE150101AB1")]
    assert efos.severity == "medium" and not efos.blocking  # presunto: a warning
    assert findings[0].blocking  # blocking first


@pytest.mark.django_db
def test_blocking_codes_are_configurable(settings):
    settings.INDICADORES_BLOQUEANTES = ["MX-EFOS"]
    b.s3_sanction()
    findings = findings_for(b.candidate(b.compiled()))
    sanc = next(f for f in findings if f.code == "MX-SANC")
    assert sanc.severity == "high" and not sanc.blocking


@pytest.mark.django_db
def test_a_candidate_is_judged_only_by_the_indicators_of_its_stage():
    b.taxpayer(events=(("definitivo", "2024-01-01"),))
    release = b.compiled()
    assert {o.code for o in evaluate_candidate(b.candidate(release, stage=Stage.PLANNING))} == {
        "MX-SANC"
    }
    at_award = {o.code for o in evaluate_candidate(b.candidate(release, stage=Stage.AWARD))}
    assert "MX-EFOS" in at_award


@pytest.mark.django_db
def test_results_are_reproducible_and_json_serialisable():
    b.s3_sanction()
    b.taxpayer(events=(("definitivo", "2024-01-01"),))
    release = b.compiled()
    first = evaluate_candidate(b.candidate(release))
    assert first == evaluate_candidate(b.candidate(release))
    for outcome in first:
        json.dumps({"evidence": outcome.evidence, "missing": outcome.missing})


@pytest.mark.django_db
def test_registry_queries_do_not_grow_with_the_batch(django_assert_max_num_queries):
    b.s3_sanction()
    b.taxpayer(events=(("presunto", "2024-01-01"),))
    b.declaration(entity_name=b.BUYER_NAME)
    b.servant(file_numbers=["x"])
    one = [b.view(b.compiled())]
    many = [b.view(b.compiled(suppliers=[b.party(rfc=f"AAA1501{n:02d}AB1")])) for n in range(40)]
    with django_assert_max_num_queries(22) as single:
        evaluate_batch(one)
    with django_assert_max_num_queries(len(single.captured_queries)):
        evaluate_batch(many)


# --- release_published --------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_publication_is_evaluated_and_announced(received, django_capture_on_commit_callbacks):
    entity = make_entity()
    b.s3_sanction(name=SUPPLIER["name"], rfc=SUPPLIER_RFC)
    with django_capture_on_commit_callbacks(execute=True):
        ocid = publish(entity, 1)
    call = next(c for c in received if c["ocid"] == ocid)
    assert call["entity_id"] == entity.pk and call["unit_id"] is None
    assert call["computed_at"]
    flagged = {(o.code, o.subject) for o in call["outcomes"] if o.flagged}
    assert ("MX-SANC", SUPPLIER["id"]) in flagged
    assert not {code for code, _subject in flagged} & {"MX-EFOS", "MX-CONFLICT", "MX-NEWCO"}
    assert all(isinstance(o, Outcome) for o in call["outcomes"])


# --- set-based ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_run_sends_outcomes_per_process_and_tallies(received):
    entity = make_entity()
    ocids = [publish(entity, n) for n in (1, 2)] + [publish(entity, 3, awarded=False)]
    b.s3_sanction(name=SUPPLIER["name"], rfc=SUPPLIER_RFC, periods=(("2025-03-01", None),))
    summary = run(batch=2)
    assert summary.processes == 3
    assert sorted(c["ocid"] for c in received) == sorted(ocids)
    sanc = summary.by_code["MX-SANC"]
    assert (sanc.eligible, sanc.flagged, sanc.share) == (2, 2, 1.0)
    assert sanc.review_thresholds
    efos = summary.by_code["MX-EFOS"]
    assert (efos.eligible, efos.not_computable) == (0, 2)  # no 69-B list loaded
    assert efos.share is None and not efos.review_thresholds


@pytest.mark.django_db
def test_calcular_indicadores_command(received, capsys):
    entity = make_entity()
    publish(entity, 1)
    call_command("calcular_indicadores", "--sin-progreso", "--json", "--indicador", "MX-NEWCO")
    payload = json.loads(capsys.readouterr().out)
    assert payload["processes"] == 1
    assert [row["code"] for row in payload["indicators"]] == ["MX-NEWCO"]
    assert payload["indicators"][0]["eligible"] == 1
    assert len(received) == 1
    call_command("calcular_indicadores", "--sin-progreso", "--sin-alertas", "--ente", entity.key)
    out = capsys.readouterr().out
    assert "MX-SANC" in out and "Procesos evaluados: 1" in out
    assert len(received) == 1  # --sin-alertas sends nothing


@pytest.mark.django_db
def test_calcular_indicadores_rejects_unknown_names():
    with pytest.raises(CommandError, match="No existe el indicador"):
        call_command("calcular_indicadores", "--indicador", "R999")
    with pytest.raises(CommandError, match="No existe el ente"):
        call_command("calcular_indicadores", "--ente", "NADA")


def test_summarise_marks_indicators_to_review(settings):
    settings.INDICADORES_REVISAR_UMBRALES = 0.5

    def outcome(status):
        return Outcome(code="MX-NEWCO", version=1, status=status)

    rows = {
        r.code: r
        for r in summarise(
            [
                [outcome(OutcomeStatus.FLAGGED)],
                [outcome(OutcomeStatus.NOT_FLAGGED)],
                [outcome(OutcomeStatus.NOT_COMPUTABLE)],
                [],
            ]
        )
    }
    newco = rows["MX-NEWCO"]
    assert (newco.eligible, newco.flagged, newco.not_computable) == (2, 1, 1)
    assert newco.share == 0.5 and not newco.review_thresholds
    summary = Summary.for_indicators([indicator("MX-NEWCO")])
    summary.add([outcome(OutcomeStatus.FLAGGED)])
    assert summary.rows[0].review_thresholds


@pytest.mark.django_db
def test_evidence_compares_equal_across_registry_syncs():
    from django.utils import timezone

    from indicadores.engine.core import comparable
    from integraciones.models import S3Sanction

    b.s3_sanction()
    release = b.compiled()
    before = next(o for o in evaluate_candidate(b.candidate(release)) if o.code == "MX-SANC")
    S3Sanction.objects.update(fetched_at=timezone.now() + timezone.timedelta(days=1))
    after = next(o for o in evaluate_candidate(b.candidate(release)) if o.code == "MX-SANC")
    assert before.evidence != after.evidence  # the date of sync is shown...
    assert comparable(before.evidence) == comparable(after.evidence)  # ...but is not news


# --- thresholds as data -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_threshold_row_changes_the_indicator_and_its_version(settings):
    from indicadores.engine.stats_model import IndicatorThreshold

    settings.INDICADORES_UMBRALES = {"MX-NEWCO": {"days": 100}}
    young = b.party(name="Nueva Empresa", rfc="NEM240601AB1")  # 277 days old at the award
    release = b.compiled(suppliers=[young])

    def newco():
        return next(o for o in evaluate_candidate(b.candidate(release)) if o.code == "MX-NEWCO")

    assert (newco().status, newco().version) == (OutcomeStatus.NOT_FLAGGED, 1)
    IndicatorThreshold.objects.create(code="MX-NEWCO", values={"days": 300}, reason="Prueba")
    outcome = newco()
    assert (outcome.status, outcome.version) == (OutcomeStatus.FLAGGED, 2)
    assert outcome.evidence["thresholds"] == {"days": 300}


@pytest.mark.django_db
def test_threshold_rows_are_validated_in_spanish():
    from django.core.exceptions import ValidationError

    from indicadores.engine.stats_model import IndicatorThreshold

    for code, values, message in (
        ("R999", {"days": 1}, "No existe el indicador"),
        ("MX-NEWCO", {"dias": 1}, "no tiene los umbrales: dias"),
        ("MX-NEWCO", {"days": "muchos"}, "mismo tipo"),
    ):
        with pytest.raises(ValidationError, match=message):
            IndicatorThreshold(code=code, values=values, reason="x").clean()


@pytest.mark.django_db
def test_threshold_admin_adds_a_version(client):
    from django.contrib.auth import get_user_model

    from indicadores.engine.stats_model import IndicatorThreshold

    admin = get_user_model().objects.create_superuser("nacional", password="x-Segura-2026")
    client.force_login(admin)
    url = "/admin/indicadores/indicatorthreshold/create/"
    bad = client.post(url, {"code": "MX-NEWCO", "values": '{"dias": 3}', "reason": "x"})
    assert bad.status_code == 200 and "no tiene los umbrales" in bad.content.decode()
    good = client.post(url, {"code": "MX-NEWCO", "values": '{"days": 180}', "reason": "x"})
    assert good.status_code == 302
    assert IndicatorThreshold.objects.get().values == {"days": 180}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "release",
    [
        {"ocid": "ocds-x-1"},
        {"ocid": "ocds-x-2", "tender": [], "awards": "x", "contracts": None, "bids": []},
        {
            "ocid": "ocds-x-3",
            "tender": {
                "procurementMethod": "open",
                "tenderPeriod": "x",
                "items": ["x", {"classification": "x"}],
                "value": {"amount": "mucho"},
                "awardCriteria": "priceOnly",
                "numberOfTenderers": True,
            },
            "parties": [{"id": None}, "x", {"id": "p", "identifier": "x", "roles": None}],
            "awards": [
                {"status": "active", "date": "ayer", "suppliers": [{"id": "p"}, "x"], "value": 3},
                "x",
            ],
            "bids": {"details": [{"status": 3, "value": {"amount": None}, "tenderers": "x"}]},
            "contracts": [
                {
                    "value": {"amount": "abc"},
                    "period": "x",
                    "amendments": ["x"],
                    "implementation": {"transactions": [{"date": 5, "value": "x"}, "x"]},
                    "documents": "x",
                }
            ],
        },
    ],
)
def test_malformed_records_never_break_the_engine(release):
    """Imported OCDS can be anything the schema lets through (and a draft anything at all): every
    indicator answers, none raises."""
    outcomes = evaluate_candidate(b.candidate(release, stage=Stage.IMPLEMENTATION_UPDATE))
    for outcome in outcomes:
        json.dumps({"evidence": outcome.evidence, "missing": outcome.missing})


@pytest.mark.django_db
def test_a_run_pauses_the_cycle_collector_and_restores_it():
    """The collector is paused while batches are evaluated (its full collections walked the
    whole heap, ≈ 30 % of a nightly run) and left as it was found."""
    entity = make_entity()
    for serial in (1, 2, 3):
        publish(entity, serial)
    seen = []

    def listener(views, context):
        seen.append(gc.isenabled())

    BATCH_LISTENERS.append(listener)
    try:
        assert gc.isenabled()
        run(batch=2)
        assert gc.isenabled()
        gc.disable()
        try:
            run(batch=2)
            assert not gc.isenabled()  # a caller that had it off keeps it off
        finally:
            gc.enable()
    finally:
        BATCH_LISTENERS.remove(listener)
    assert seen == [False, False, False, False]  # two batches per run, collector paused
