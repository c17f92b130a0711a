"""A registry of panels that higher layers add to the public pages (docs/arquitectura.md §4).

``ocds_pages`` owns the public entity and supplier pages but cannot import ``indicadores``; an app
above registers a panel from its ``AppConfig.ready()`` and the page template renders every panel
registered for it with ``{% public_panels "ente" key %}`` (templatetags/ocds_public.py). A panel
is a function of the page's key (the entity's key, the supplier's key, the process's ocid) that
returns HTML (already escaped, e.g. from ``render_to_string``) or "" to show nothing. A panel
that fails is left out and logged: the published page must still open.
"""

import logging
from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

PAGES = ("ente", "proveedor", "proceso")
_panels: dict[str, dict[str, Callable[[str], str]]] = {page: {} for page in PAGES}


def register(page: str, name: str, render: Callable[[str], str]) -> None:
    """Add (or replace, by ``name``) a panel of ``page`` (one of ``PAGES``)."""
    _panels[page][name] = render


def unregister(page: str, name: str) -> None:
    _panels[page].pop(name, None)


def render_panels(page: str, key: str) -> SafeString:
    parts = []
    for name, render in _panels.get(page, {}).items():
        try:
            parts.append(str(render(key)))
        except Exception:
            logger.exception("Panel público %s de %s falló para %s", name, page, key)
    return mark_safe("".join(parts))  # noqa: S308 (each panel returns rendered, escaped HTML)
