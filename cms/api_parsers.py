"""The API's JSON parser: orjson with a nesting limit, and no NUL characters.

DRF's own parser uses the standard library, which overflows Python's stack on ~10 KB of nested
arrays (a RecursionError, answered as an HTML 500). orjson refuses more than 1024 levels with an
ordinary decoding error. Text with NUL characters cannot be stored or searched in PostgreSQL, so it
is refused here, with the rest of the malformed bodies, as a Spanish 400 (cms.api_errors).
"""

import orjson
from django.utils.translation import gettext as _
from rest_framework import parsers

from cms.api_errors import BodyRefused


def contains_nul(value) -> bool:
    """Whether any key or text in ``value`` has a NUL character (walked without recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def nul_message() -> str:
    return _("El cuerpo de la solicitud contiene caracteres nulos (\\u0000), que no se admiten.")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise BodyRefused(_("El cuerpo de la solicitud no es JSON válido.")) from None
        if contains_nul(data):
            raise BodyRefused(nul_message())
        return data
