import io
from collections import Counter
from dataclasses import replace

import orjson
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cms.models import Entity
from devtools.generator import (
    PlantSupplier,
    Supplier,
    contracting_process,
    ensure_entities,
    form_specs,
    generate,
    planned,
    stage_values,
)
from devtools.generator_storage import built
from ocds_pages.compile import compile_releases
from ocds_pages.models import (
    ItemProjection,
    ProcessProjection,
    Record,
    Release,
    SupplierProjection,
)
from ocds_pages.publication import next_release_slot, publish_release, release_date
from ocds_pages.validation import parse_datetime, validate_release
from workflows.base.procedures import Stage
from workflows.base.rules import capture_issues
from workflows.forms import catalogues, form_services
from workflows.forms.forms_engine import CaptureContext, build_form, data_from_values, to_ocds
from workflows.processes.process_models import StageProcess
from workflows.processes.releases import build_stage_release

SANCTIONED = Supplier("SAN010101AB1", "Proveedora Sancionada, S.A. de C.V.")


def run(**options):
    call_command("generar_datos", sin_progreso=True, stdout=io.StringIO(), **options)


def releases_of(ocid: str) -> list[dict]:
    texts = Release.objects.filter(ocid=ocid).order_by("date", "pk").values_list("data", flat=True)
    return [orjson.loads(text) for text in texts]


def projection_rows() -> dict:
    # Keyed by ocid, not by primary key: the rebuild replaces the child rows.
    def rows(model, *fields):
        return sorted(
            tuple(str(value) for value in row)
            for row in model.objects.values_list("process__ocid", *fields)
        )

    processes = sorted(
        tuple(sorted((key, str(value)) for key, value in row.items() if key != "id"))
        for row in ProcessProjection.objects.values()
    )
    suppliers = rows(SupplierProjection, "party_id", "identifier", "name", "normalized_name")
    items = rows(
        ItemProjection,
        "section",
        "item_id",
        "classification_scheme",
        "classification_id",
        "description",
        "quantity",
        "unit_name",
        "unit_price",
        "unit_price_currency",
    )
    return {"processes": processes, "suppliers": suppliers, "items": items}


@pytest.mark.django_db
def test_same_seed_gives_the_same_releases():
    pairs = ensure_entities(3)
    first = [releases for _plan, releases in generate(pairs=pairs, processes=40, seed=7)]
    second = [releases for _plan, releases in generate(pairs=pairs, processes=40, seed=7)]
    other = [releases for _plan, releases in generate(pairs=pairs, processes=40, seed=8)]
    assert orjson.dumps(first) == orjson.dumps(second)
    assert orjson.dumps(first) != orjson.dumps(other)


@pytest.mark.django_db
def test_the_rows_do_not_depend_on_the_number_of_workers():
    pairs = ensure_entities(3)
    plans = planned(pairs=pairs, processes=60, seed=2)
    alone = [row for batch in built(plans, batch=16, workers=1) for row in batch]
    shared = [row for batch in built(plans, batch=16, workers=2) for row in batch]
    assert [len(batch) for batch in built(plans, batch=16, workers=2)] == [16, 16, 16, 12]
    assert alone == shared


@pytest.mark.django_db
def test_tiny_run_stores_valid_releases_and_consistent_records():
    run(entes=2, procesos=30, semilla=3, lote=7, trabajadores=1)
    assert Entity.objects.filter(key__startswith="GEN").count() == 2
    assert Record.objects.count() == 30
    for record in Record.objects.all():
        releases = releases_of(record.ocid)
        previous = None
        for release in releases:
            assert validate_release(release, previous=previous) == []
            previous = compile_releases([r for r in (previous, release) if r]).compiled
        compilation = compile_releases(releases)
        assert orjson.loads(record.compiled_release) == compilation.compiled
        assert orjson.loads(record.versioned_release) == compilation.versioned
        assert record.release_count == len(releases)
        assert record.last_release_date == parse_datetime(compilation.compiled["date"])


@pytest.mark.django_db
def test_projections_equal_what_the_rebuild_derives():
    run(entes=2, procesos=30, semilla=4, lote=10, trabajadores=1)
    generated = projection_rows()
    call_command("reconstruir_proyecciones", sin_progreso=True, stdout=io.StringIO())
    assert projection_rows() == generated
    assert len(generated["processes"]) == 30
    assert any(row[3] == "CUCOP" for row in generated["items"])


@pytest.mark.django_db
def test_a_second_run_continues_the_ocids():
    run(entes=1, procesos=5, semilla=1, trabajadores=1)
    run(entes=1, procesos=5, semilla=2, trabajadores=1)
    ocids = sorted(Record.objects.values_list("ocid", flat=True))
    assert len(ocids) == 10
    assert ocids[-1].endswith("-000010")


@pytest.mark.django_db
def test_process_mix_follows_the_distribution():
    pairs = ensure_entities(5)
    plans = planned(pairs=pairs, processes=400, seed=11)
    methods = Counter(plan.method for plan in plans)
    assert 0.6 < methods["direct"] / 400 < 0.8
    assert 0.12 < methods["selective"] / 400 < 0.28
    assert 0.04 < methods["open"] / 400 < 0.16
    outcomes = Counter(plan.outcome for plan in plans)
    assert outcomes["unsuccessful"] > 0 and outcomes["cancelled"] > 0
    stages = Counter(stage for plan in plans for stage in plan.stages)
    assert 0 < stages[Stage.CONTRACT_AMENDMENT] < stages[Stage.IMPLEMENTATION]
    assert stages[Stage.IMPLEMENTATION] < stages[Stage.CONTRACT] == outcomes["active"]
    # Skewed market: the top supplier wins far more than an average one.
    winners = Counter(plan.supplier for plan in plans if plan.outcome == "active")
    assert winners.most_common(1)[0][1] > 5 * (sum(winners.values()) / len(winners))
    # Unit prices vary around the reference price of their CUCoP key.
    prices = [item.unit_price for plan in plans for item in plan.items if item.cucop == "25301001"]
    assert len(set(prices)) > 10 and 15 < sum(prices) / len(prices) < 22


@pytest.mark.django_db
def test_planted_supplier_wins_the_requested_awards():
    pairs = ensure_entities(2)
    planted = [PlantSupplier(SANCTIONED, awards=4)]
    generated = list(generate(pairs=pairs, processes=30, seed=5, planted=planted))
    awarded_to_planted = [
        releases
        for _plan, releases in generated
        if any(
            supplier["id"] == SANCTIONED.party_id
            for release in releases
            for award in release.get("awards", [])
            for supplier in award["suppliers"]
        )
    ]
    assert len(awarded_to_planted) == 4


def _sample(plans):
    """One plan of each procedure type and outcome, with an amendment and a payment."""
    chosen = {}
    for plan in plans:
        key = (plan.procedure_type, plan.outcome, plan.amended, plan.paid_fraction is not None)
        chosen.setdefault(key, plan)
    return list(chosen.values())


@pytest.mark.django_db
def test_generated_releases_are_what_the_workflow_publishes_for_those_form_values():
    """The workflow path, replayed with the database: the real stage form cleans the values,
    the rules accept the fragment, publication numbers the release and finds the one an amendment
    amends by querying (next_release_slot), and publish_release validates and stores it. The
    generator's releases, built without a query, are equal field for field."""
    pairs = ensure_entities(3)
    plans = planned(pairs=pairs, processes=150, seed=13)
    sample = _sample(plans)
    assert {plan.method for plan in sample} == {"direct", "selective", "open"}
    generated = {
        plan.ocid: releases for plan, releases in generate(pairs=pairs, processes=150, seed=13)
    }
    capturista = get_user_model().objects.create_user("capturista.generador")
    for plan in sample:
        process = contracting_process(plan)
        process.created_by = capturista
        process.save()
        context = CaptureContext(procedure_type=plan.procedure_type, ocid=plan.ocid)
        for capture, expected in zip(stage_values(plan), generated[plan.ocid], strict=True):
            version = form_services.form_version_for(
                stage=Stage(capture.stage).form,
                procedure_type=plan.procedure_type,
                entity=plan.entity,
            )
            files = {
                k: v for k, v in capture.values.items() if isinstance(v, dict) and "sha256" in v
            }
            data = data_from_values(version, capture.values, context=context)
            form = build_form(version, data, context=context, stored=files)
            assert form.is_valid(), (capture.stage, form.errors)
            fragment = to_ocds(version, form.values(), context=context)
            with catalogues.preloaded():
                assert fragment == to_ocds(
                    form_specs()[capture.stage, plan.procedure_type],
                    capture.values,
                    context=context,
                )
            assert (
                capture_issues(
                    procedure_type=plan.procedure_type, stage=capture.stage, draft=fragment
                )
                == []
            )
            run = StageProcess(contracting_process=process, stage=capture.stage)
            slot = replace(next_release_slot(ocid=plan.ocid), date=release_date(capture.date))
            release = build_stage_release(stage_process=run, fragment=fragment, slot=slot)
            assert release == expected
            publish_release(release=release, entity=plan.entity, unit=plan.unit)
        record = Record.objects.get(ocid=plan.ocid)
        assert orjson.loads(record.compiled_release) == (
            compile_releases(generated[plan.ocid]).compiled
        )


def test_synthetic_entities_have_distinct_names_like_real_ones():
    from devtools.generator import entity_identity

    identities = [entity_identity(number) for number in range(1, 5281)]

    assert len({name for name, _level, _state in identities}) == 5280
    assert identities[0] == ("Secretaría de Salud del Gobierno Federal", "federal", "")
    assert identities[14][0] == "Secretaría de Salud de Jalisco"
    assert all(bool(state) == (level == "estatal") for _name, level, state in identities)
    # A buyerName filter selects about one entity, as on real names (a numbered "Ente 1" matched
    # "Ente 10", "Ente 100"… as a substring); only real overlaps remain ("Baja California" Sur).
    names = [name for name, _level, _state in identities]
    overlapping = [name for name in names[:1500] if sum(name in other for other in names) > 1]
    assert all("Baja California" in name for name in overlapping)
