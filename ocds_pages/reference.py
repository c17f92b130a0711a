"""Reference data: another publisher's OCDS loaded for analysis, never published as our own.

``importar_ocds --referencia NOMBRE`` reads a bulk file with the importer's readers but hands the
releases, grouped by ocid, to the store a higher layer registered (the market research,
``indicadores.market``), instead of publishing them: they never reach this installation's
releases, records, projections, OCDS API, S6 or bulk files (docs/mercado.md).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

Store = Callable[[str, dict[str, list[dict]]], int]
_stores: list[Store] = []


class NoReferenceStore(Exception):
    """No installed app keeps reference data."""


def register_store(store: Store) -> None:
    if store not in _stores:
        _stores.append(store)


def store(name: str, releases_by_ocid: dict[str, list[dict]]) -> int:
    """Hand the releases to the registered store; returns how many processes it kept."""
    if not _stores:
        raise NoReferenceStore(_("Ninguna aplicación instalada guarda datos de referencia."))
    return sum(keep(name, releases_by_ocid) for keep in _stores)
