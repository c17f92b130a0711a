"""A process's risk row (indicadores/risk/services.py): kept by a recompute while its inputs are
the same, computed again when one of them changes."""

import hashlib
import json

import pytest
from django.core.management import call_command

from indicadores.outcomes import Outcome, OutcomeStatus
from indicadores.risk import services
from indicadores.risk.models import ProcessRisk
from ocds_pages.models import Record
from tests.factories import make_entity
from tests.indicadores import builders as b
from tests.ocds_pages.factories import SUPPLIER
from tests.publishing import publish_process

FLAGGED, CLEAR, UNKNOWN = (
    OutcomeStatus.FLAGGED,
    OutcomeStatus.NOT_FLAGGED,
    OutcomeStatus.NOT_COMPUTABLE,
)

# The digest of the rows ``_row`` computes for the processes below, recorded for ROW_VERSION. If
# this test fails, the computation of a row changed: raise ROW_VERSION in
# indicadores/risk/services.py (the next recompute then computes every row again instead of
# keeping those whose inputs are the same) and record the new digest under it.
ROWS_DIGEST = {1: "cb0c2e76d8f54a30500471a16b70d41e"}


def _processes() -> list[services.Evaluated]:
    """Processes that reach every part of a row: a competitive one with bids, payments and a
    budget; a direct award in another currency; one without award."""
    open_release = b.compiled(
        ocid="ocds-rows-1",
        payments=("2025-04-01T10:00:00-06:00", "2025-03-01T10:00:00-06:00"),
        bids=[b.bid("T1", 480000), b.bid("T2", 510000)],
        planning={"budget": {"amount": {"amount": 450000, "currency": "MXN"}}},
        tender={"value": {"amount": 520000, "currency": "MXN"}, "mainProcurementCategory": "goods"},
    )
    direct = b.compiled(
        ocid="ocds-rows-2",
        tender={"procurementMethod": "direct", "mainProcurementCategory": "services"},
        award_amount=90000,
        signed=None,
    )
    direct["awards"][0]["value"]["currency"] = "USD"
    unawarded = b.compiled(ocid="ocds-rows-3", awarded=False, tender_start=None)
    outcomes = [
        Outcome("R018", 1, CLEAR, evidence={"tenderers": 2}),
        Outcome("MX-SANC", 1, FLAGGED, subject="a"),
        Outcome("MX-SANC", 1, CLEAR, subject="b"),
        Outcome("MX-EFOS", 1, UNKNOWN),
        Outcome("MX-FRAC", 1, FLAGGED),
        Outcome("R024", 1, FLAGGED),
    ]
    return [
        services.Evaluated(b.view(open_release, entity_id=1, unit_id=2), outcomes),
        services.Evaluated(b.view(direct, entity_id=1), outcomes[1:4]),
        services.Evaluated(b.view(unawarded, entity_id=3), []),
    ]


def _rows_digest() -> str:
    rows = [
        services._row(item, recorded, None, "")
        for item, recorded in zip(_processes(), (True, None, False), strict=True)
    ]
    columns = [
        {
            name: str(getattr(row, ProcessRisk._meta.get_field(name).attname))
            for name in services.COMPARED
        }
        for row in rows
    ]
    text = json.dumps(columns, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def test_the_row_version_moves_with_the_computation_of_a_row():
    assert _rows_digest() == ROWS_DIGEST[services.ROW_VERSION], (
        "The computation of a risk row changed: raise ROW_VERSION in "
        "indicadores/risk/services.py and record the new digest in this test."
    )


def _recompute():
    call_command("calcular_indicadores", "--sin-progreso", stdout=None)


def _rows() -> dict[str, ProcessRisk]:
    return {row.ocid: row for row in ProcessRisk.objects.all()}


@pytest.mark.django_db
def test_a_recompute_keeps_the_rows_whose_inputs_it_knows_and_computes_the_others(
    django_capture_on_commit_callbacks,
):
    entity = make_entity()
    with django_capture_on_commit_callbacks(execute=True):
        sanctioned = publish_process(entity, tenderers=1)
        changed = publish_process(entity, tenderers=2)
        kept = publish_process(entity, awarded=False)  # no supplier for the sanction to name
    _recompute()
    first = _rows()
    assert all(row.inputs for row in first.values())  # a recompute read each release's text

    # Unchanged inputs: no row is computed nor written, not even its date.
    _recompute()
    assert {o: (r.inputs, r.digest, r.computed_at) for o, r in _rows().items()} == {
        o: (r.inputs, r.digest, r.computed_at) for o, r in first.items()
    }

    # Known inputs are trusted as the digest is: the row is not even computed, so a digest
    # edited behind its back stays (``--rehacer-agregados`` compares every row whole).
    ProcessRisk.objects.filter(ocid=kept).update(digest="editado")
    _recompute()
    assert ProcessRisk.objects.get(ocid=kept).digest == "editado"
    call_command("calcular_indicadores", "--sin-progreso", "--rehacer-agregados", stdout=None)
    assert ProcessRisk.objects.get(ocid=kept).digest == first[kept].digest

    # What an indicator says changed (a sanction for the supplier, in S3): that row is new.
    b.s3_sanction(name=SUPPLIER["name"], rfc=SUPPLIER["identifier"]["id"])
    # The text of a release changed (recompiled by another version, say): that row is new.
    record = Record.objects.get(ocid=changed)
    release = json.loads(record.compiled_release)
    release["tender"]["mainProcurementCategory"] = "works"
    Record.objects.filter(pk=record.pk).update(compiled_release=json.dumps(release))
    _recompute()
    second = _rows()
    assert " MX-SANC " in second[sanctioned].flagged_codes
    assert " MX-SANC " not in first[sanctioned].flagged_codes
    assert second[changed].category == "works"
    for ocid in (sanctioned, changed):
        assert second[ocid].inputs != first[ocid].inputs
        assert second[ocid].computed_at > first[ocid].computed_at
    # A process nothing changed for keeps its row.
    assert (second[kept].inputs, second[kept].computed_at) == (
        first[kept].inputs,
        first[kept].computed_at,
    )


@pytest.mark.django_db
def test_rows_without_inputs_or_of_another_version_are_computed_once_more(
    django_capture_on_commit_callbacks, monkeypatch
):
    entity = make_entity()
    with django_capture_on_commit_callbacks(execute=True):
        ocid = publish_process(entity, tenderers=1)
    _recompute()
    before = ProcessRisk.objects.get(ocid=ocid)

    # A row stored before rows kept their inputs: given them, its columns and date left alone.
    ProcessRisk.objects.filter(pk=before.pk).update(inputs="")
    _recompute()
    after = ProcessRisk.objects.get(ocid=ocid)
    assert after.inputs == before.inputs
    assert (after.digest, after.computed_at) == (before.digest, before.computed_at)

    # Another ROW_VERSION: every row is computed again; the same row only gets its new inputs.
    monkeypatch.setattr(services, "ROW_VERSION", services.ROW_VERSION + 1)
    _recompute()
    bumped = ProcessRisk.objects.get(ocid=ocid)
    assert bumped.inputs not in ("", before.inputs)
    assert (bumped.digest, bumped.tally, bumped.computed_at) == (
        before.digest,
        before.tally,
        before.computed_at,
    )


@pytest.mark.django_db
def test_a_publication_computes_its_row_and_leaves_no_inputs(django_capture_on_commit_callbacks):
    """A publication judges a release parsed from its data, not a stored text: its row is
    always computed, and the next recompute gives it its inputs."""
    entity = make_entity()
    with django_capture_on_commit_callbacks(execute=True):
        ocid = publish_process(entity, tenderers=1)
    assert ProcessRisk.objects.get(ocid=ocid).inputs == ""
    _recompute()
    assert ProcessRisk.objects.get(ocid=ocid).inputs
