"""Spanish text for outcomes, translated once per message and language.

Indicators write an explanation and ``missing`` entries for every process; over a whole database
that is millions of ``gettext`` calls on a few dozen messages, each walking the catalogue chain.
The translation of a message depends only on the message and the active language, so it is
cached on both. Module-level label tables are declared with ``gettext_noop`` (extracted by
makemessages, translated here at use).

Asking Django for the active language is itself ≈ 20 µs (a context-local lookup), more than the
cached translation: a batch of processes is evaluated in one language, so ``pinned_language``
reads it once for the batch (``engine.core.evaluate_batch``).
"""

import functools
import threading
from contextlib import contextmanager

from django.utils import translation

_pinned = threading.local()


@functools.lru_cache(maxsize=4096)
def _translated(message: str, language: str | None) -> str:
    return translation.gettext(message)


def gettext(message: str) -> str:
    language = getattr(_pinned, "language", None)
    if language is None:
        language = translation.get_language()
    return _translated(message, language)


@contextmanager
def pinned_language():
    """Inside the block, ``gettext`` uses the language active when it started."""
    previous = getattr(_pinned, "language", None)
    _pinned.language = translation.get_language() or ""
    try:
        yield
    finally:
        _pinned.language = previous


gettext_noop = translation.gettext_noop
