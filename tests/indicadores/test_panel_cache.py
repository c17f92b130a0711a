"""The cache of the public panels: built once per generation, rebuilt after a bump, one family's
bump leaves the others cached, and an evicted generation never brings back old entries."""

import pytest
from django.core.cache import cache

from indicadores.panel_cache import PanelCache


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


class Builder:
    """Counts how often the panel is built and gives a new value each time."""

    def __init__(self, name: str):
        self.name = name
        self.builds = 0

    def __call__(self) -> str:
        self.builds += 1
        return f"{self.name} {self.builds}"


def test_a_panel_is_built_once_until_the_generation_is_bumped():
    panels = PanelCache("riesgo-publico")
    build = Builder("ente IMSS")
    assert panels.cached("ente", "IMSS", build) == "ente IMSS 1"
    assert panels.cached("ente", "IMSS", build) == "ente IMSS 1"
    assert build.builds == 1

    panels.bump()
    assert panels.cached("ente", "IMSS", build) == "ente IMSS 2"
    assert build.builds == 2


def test_the_key_names_the_family_generation_kind_and_key():
    panels = PanelCache("mercado-publico")
    panels.cached("proveedor", "AAA010101AAA", lambda: "<section>precios</section>")
    generation = cache.get("mercado-publico:generacion")
    assert generation == panels.generation()
    assert cache.get(f"mercado-publico:{generation}:proveedor:AAA010101AAA") == (
        "<section>precios</section>"
    )


def test_kinds_and_keys_are_cached_apart():
    panels = PanelCache("riesgo-publico")
    assert panels.cached("ente", "IMSS", lambda: "ente") == "ente"
    assert panels.cached("proveedor", "IMSS", lambda: "proveedor") == "proveedor"
    assert panels.cached("ente", "SALUD", lambda: "otro ente") == "otro ente"
    assert panels.cached("ente", "IMSS", lambda: "no se construye") == "ente"


def test_one_family_bumped_leaves_the_others_cached():
    risk, market = PanelCache("riesgo-publico"), PanelCache("mercado-publico")
    risk.cached("proveedor", "X", lambda: "riesgo viejo")
    market.cached("proveedor", "X", lambda: "precios")

    risk.bump()
    assert risk.cached("proveedor", "X", lambda: "riesgo nuevo") == "riesgo nuevo"
    assert market.cached("proveedor", "X", lambda: "no se construye") == "precios"


def test_an_evicted_generation_starts_afresh_and_never_meets_old_entries():
    panels = PanelCache("seguimiento-publico")
    panels.cached("ente", "IMSS", lambda: "viejo")
    old = panels.generation()

    cache.delete("seguimiento-publico:generacion")  # evicted (or a bump that found no key)
    assert panels.generation() > old
    assert panels.cached("ente", "IMSS", lambda: "nuevo") == "nuevo"

    cache.delete("seguimiento-publico:generacion")
    panels.bump()  # incr finds no key: a fresh clock value
    assert panels.generation() > old
    assert panels.cached("ente", "IMSS", lambda: "otra vez") == "otra vez"


def test_empty_values_are_cached_too():
    panels = PanelCache("seguimiento-publico")
    build = Builder("vacío")
    assert panels.cached("proceso", "ocds-1", lambda: [build()][:0]) == []
    assert panels.cached("proceso", "ocds-1", lambda: [build()][:0]) == []
    assert build.builds == 1
