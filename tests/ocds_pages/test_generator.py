import io
from collections import Counter

import orjson
import pytest
from django.core.management import call_command

from cms.models import Entity
from ocds_pages.compile import compile_releases
from ocds_pages.generator import PlantSupplier, ensure_entities, generate
from ocds_pages.models import (
    ItemProjection,
    ProcessProjection,
    Record,
    Release,
    SupplierProjection,
)
from ocds_pages.synthetic import Supplier
from ocds_pages.validation import parse_datetime, validate_release

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
        "classification_id",
        "description",
        "quantity",
        "unit_price",
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
def test_tiny_run_stores_valid_releases_and_consistent_records():
    run(entes=2, procesos=30, semilla=3, lote=7)
    assert Entity.objects.filter(key__startswith="GEN").count() == 2
    assert Record.objects.count() == 30
    for record in Record.objects.all():
        releases = releases_of(record.ocid)
        previous = None
        for release in releases:
            assert validate_release(release, previous=previous) == []
            previous = compile_releases([r for r in (previous, release) if r]).compiled
        compiled = compile_releases(releases).compiled
        assert orjson.loads(record.compiled_release) == compiled
        assert record.release_count == len(releases)
        assert record.last_release_date == parse_datetime(compiled["date"])


@pytest.mark.django_db
def test_projections_equal_what_the_rebuild_derives():
    run(entes=2, procesos=30, semilla=4, lote=10)
    generated = projection_rows()
    call_command("reconstruir_proyecciones", sin_progreso=True, stdout=io.StringIO())
    assert projection_rows() == generated
    assert len(generated["processes"]) == 30


@pytest.mark.django_db
def test_a_second_run_continues_the_ocids():
    run(entes=1, procesos=5, semilla=1)
    run(entes=1, procesos=5, semilla=2)
    ocids = sorted(Record.objects.values_list("ocid", flat=True))
    assert len(ocids) == 10
    assert ocids[-1].endswith("-000010")


@pytest.mark.django_db
def test_process_mix_follows_the_distribution():
    pairs = ensure_entities(5)
    plans = [plan for plan, _releases in generate(pairs=pairs, processes=300, seed=11)]
    methods = Counter(plan.spec.method for plan in plans)
    assert 0.6 < methods["direct"] / 300 < 0.8
    assert 0.12 < methods["selective"] / 300 < 0.28
    assert 0.04 < methods["open"] / 300 < 0.16
    statuses = Counter(plan.tender_status for plan in plans)
    assert statuses["unsuccessful"] > 0 and statuses["cancelled"] > 0
    stages = Counter(stage for plan in plans for stage in plan.spec.stages)
    assert 0 < stages["contractAmendment"] < stages["implementation"] < stages["contract"]
    # Skewed market: the top supplier wins far more than an average one.
    winners = Counter(plan.spec.supplier for plan in plans if "award" in plan.spec.stages)
    assert winners.most_common(1)[0][1] > 5 * (sum(winners.values()) / len(winners))


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
