"""Sections that higher layers add to the public pages without ``ocds_pages`` importing them.

A registry of hooks (docs/arquitectura.md §4): an app registers, from its ``AppConfig.ready()``, a
function that renders a section of the process page (given the ocid) or of the entity page (given
the entity's key); the page shows what the functions return, in registration order. Contract
monitoring (``indicadores.monitoring.public``) adds each contract's progress and the entity's
aggregates this way. A section that fails is left out and logged: the published data must still
be readable.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

logger = logging.getLogger(__name__)

PROCESS = "process"
ENTITY = "entity"
Section = Callable[[HttpRequest, str], SafeString | str]
_sections: dict[str, dict[str, Section]] = {PROCESS: {}, ENTITY: {}}


def register(page: str, name: str, render: Section) -> None:
    """Add (or replace, by ``name``) a section of the ``page`` (PROCESS or ENTITY)."""
    _sections[page][name] = render


def render(page: str, request: HttpRequest, key: str) -> list[SafeString]:
    """The HTML of every registered section of ``page`` for ``key`` (ocid or entity key)."""
    found = []
    for name, section in _sections[page].items():
        try:
            html = section(request, key)
        except Exception:
            logger.exception("Sección pública %s de %s falló", name, key)
            continue
        if html:
            found.append(SafeString(html))
    return found
