"""Spanish text for outcomes, translated once per message and language.

Indicators write an explanation and ``missing`` entries for every process; over a whole database
that is millions of ``gettext`` calls on a few dozen messages, each walking the catalogue chain.
The translation of a message depends only on the message and the active language, so it is
cached on both. Module-level label tables are declared with ``gettext_noop`` (extracted by
makemessages, translated here at use).
"""

import functools

from django.utils import translation


@functools.lru_cache(maxsize=4096)
def _translated(message: str, language: str | None) -> str:
    return translation.gettext(message)


def gettext(message: str) -> str:
    return _translated(message, translation.get_language())


gettext_noop = translation.gettext_noop
