"""The currencies money fields offer: the installation's own first, then the few in use.

OCDS's currency codelist has 302 ISO 4217 codes, obsolete ones included; a purchasing unit uses a
handful. ``DEFAULT_CURRENCY`` (MXN) is what every money field starts with, in new rows too, and
``CAPTURE_CURRENCIES`` lists the others a capturista may choose (cms/settings.py).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ocds_pages.codelists import codes

# Spanish names of the usual ones; OCP does not translate the currency codelist (its README in
# ocds_pages/data/codelists-es/ says why), so any other code is shown as the code alone.
NAMES = {
    "MXN": _("Peso mexicano"),
    "USD": _("Dólar estadounidense"),
    "EUR": _("Euro"),
    "CAD": _("Dólar canadiense"),
    "GBP": _("Libra esterlina"),
    "JPY": _("Yen japonés"),
    "CNY": _("Yuan renminbi"),
}


def default_currency() -> str:
    return getattr(settings, "DEFAULT_CURRENCY", "MXN")


def capture_currencies() -> list[str]:
    """The codes offered, the default first, each once, only valid ISO 4217 codes."""
    known = set(codes("currency"))
    wanted = [default_currency(), *getattr(settings, "CAPTURE_CURRENCIES", ())]
    offered: list[str] = []
    for code in wanted:
        if code in known and code not in offered:
            offered.append(code)
    return offered


def label(code: str) -> str:
    name = NAMES.get(code)
    return f"{code} · {name}" if name else code


def choices(current: str = "") -> list[tuple[str, str]]:
    """(code, label) pairs; a stored code outside the list is kept visible so it can be fixed."""
    offered = capture_currencies()
    if current and current not in offered:
        offered = [*offered, current]
    return [(code, label(code)) for code in offered]
