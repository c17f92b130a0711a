"""The aggregates' sums by rollups (indicadores/risk/services.py, ``rolled_up``) equal adding
every finest cell into each of its rows (``_cells``), as the rebuild did before."""

import itertools
import random
from collections import defaultdict

import pytest

from indicadores.risk import services
from indicadores.risk.models import ProcessRisk
from indicadores.risk.tally import add


def _finest(seed: int) -> dict[tuple, dict]:
    rng = random.Random(seed)  # noqa: S311 (test data, not security)
    cells = {}
    units = {1: [None, 11, 12], 2: [None], 3: [31]}
    for entity_id, entity_units in units.items():
        for unit_id, year, method, category in itertools.product(
            entity_units, (2025, 2026), ("direct", "open"), ("goods", "works")
        ):
            if rng.random() < 0.3:
                continue  # not every combination has processes
            cells[(entity_id, unit_id, year, method, category)] = {
                "n": [rng.randint(1, 9)],
                "amount": [round(rng.uniform(0, 1e6), 2)],
                "i:MX-SANC": [rng.randint(1, 5), rng.randint(0, 1), 0],
            }
    return cells


def _each_cell(finest: dict[tuple, dict]) -> dict[tuple, dict]:
    sums = defaultdict(dict)
    for (entity_id, unit_id, year, method, category), tally in finest.items():
        row = ProcessRisk(
            entity_id=entity_id,
            unit_id=unit_id,
            year=year,
            procurement_method=method,
            category=category,
        )
        for key in services._cells(row):
            add(sums[key], tally)
    return dict(sums)


def test_the_rollups_give_every_cell_and_the_same_sums():
    for seed in range(5):
        finest = _finest(seed)
        expected = _each_cell(finest)
        found = services.rolled_up(finest)
        assert found.keys() == expected.keys()
        for key, tally in expected.items():
            assert found[key].keys() == tally.keys(), key
            for name, values in tally.items():
                # Amounts are floats, added in another order (each sum rounded to 4 places).
                assert found[key][name] == pytest.approx(values, rel=1e-12), (key, name)


def test_a_score_is_a_copy_of_its_cut():
    """A score and the cut of its year are two rows: changing one's tally leaves the other."""
    finest = {(1, 11, 2026, "direct", "goods"): {"n": [2]}}
    found = services.rolled_up(finest)
    assert found[(1, 11, 2026)] == found[(1, 11, 2026, "*", "*")] == {"n": [2]}
    found[(1, 11, 2026)]["n"][0] = 5
    assert found[(1, 11, 2026, "*", "*")] == {"n": [2]}
