"""The cache of the public panels of indicadores (risk, market, contract monitoring).

A panel (``ocds_pages.public_panels``, docs/arquitectura.md §4) is rendered on every visit of a
public page, so each caches what it builds under a key that carries a *generation*: when the rows
a panel reads change, its owner bumps the generation and every panel of that family is rebuilt on
its next view, without having to know which keys were cached. An entry also expires after
``seconds``. The keys are ``<prefix>:<generation>:<kind>:<key>`` and the generation lives in
``<prefix>:generacion``.
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

CACHE_SECONDS = 3600


class PanelCache:
    """The cached panels of one family (e.g. ``PanelCache("riesgo-publico")``)."""

    def __init__(self, prefix: str, seconds: int = CACHE_SECONDS):
        self.prefix = prefix
        self.seconds = seconds
        self.generation_key = f"{prefix}:generacion"

    def generation(self) -> int:
        generation = cache.get(self.generation_key)
        if generation is None:
            # A clock value, not 1: if the key was evicted, a restart at 1 could meet entries
            # cached under an old generation 1 and serve them stale.
            cache.add(self.generation_key, time.time_ns(), timeout=None)
            generation = cache.get(self.generation_key)
        return generation

    def bump(self) -> None:
        """The rows changed: every panel of the family is rebuilt on its next view."""
        try:
            cache.incr(self.generation_key)
        except ValueError:  # evicted or never set: a new clock value is fresh
            cache.set(self.generation_key, time.time_ns(), timeout=None)

    def cached(self, kind: str, key: str, build: Callable[[], Any]) -> Any:
        """``build()`` cached until the next ``bump`` (or ``seconds``, whichever comes first)."""
        cache_key = f"{self.prefix}:{self.generation()}:{kind}:{key}"
        value = cache.get(cache_key)
        if value is None:
            value = build()
            cache.set(cache_key, value, self.seconds)
        return value
