"""Cached ``totalRows`` of S6 queries.

The PDN harvests a query page after page, and the exact total the protocol demands costs more
than the page itself on broad filters (docs/arquitectura.md §6: 202–318 ms for count(*) against
17–59 ms for the page, on 300k processes). The total of a query is therefore kept for
S6_COUNT_CACHE_SECONDS, under a key that includes a *generation* renewed whenever a release is
published (ocds_pages' ``release_published`` signal): a publication makes every cached total stale
at once in this process. With several processes, use a shared cache (CACHE_BACKEND, e.g. Redis) so
they share the generation; with the default per-process cache a total can lag a publication by at
most S6_COUNT_CACHE_SECONDS in other processes.
"""

import hashlib
import time
from collections.abc import Callable

import orjson
from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver

from ocds_pages.signals import release_published

GENERATION_KEY = "s6:conteos:generacion"


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, timeout=None)
    return generation


def cached_total(*, endpoint: str, query: dict, count: Callable[[], int]) -> int:
    """The total of ``query`` on ``endpoint`` (page, pageSize and sort do not change it)."""
    seconds = getattr(settings, "S6_COUNT_CACHE_SECONDS", 0)
    if seconds <= 0:
        return count()
    raw = orjson.dumps([endpoint, _generation(), query], option=orjson.OPT_SORT_KEYS)
    key = "s6:total:" + hashlib.sha256(raw).hexdigest()
    total = cache.get(key)
    if total is None:
        total = count()
        cache.set(key, total, timeout=seconds)
    return total


@receiver(release_published, dispatch_uid="s6-counts-new-generation")
def new_generation(sender, **kwargs):
    """A publication can change any total: start a new generation of cached totals."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
