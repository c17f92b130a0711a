"""The INPC table: loaded by the national administrator from INEGI's CSV, used to adjust prices.

Nothing is shipped: without rows no price is adjusted, and the screens and the API say so. A
price of month m is taken to the latest loaded month L as price × INPC(L) / INPC(m); a price whose
month has no index is left as published and marked.
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from indicadores.market.models import InflationIndex

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("ene", "enero"),
            ("feb", "febrero"),
            ("mar", "marzo"),
            ("abr", "abril"),
            ("may", "mayo"),
            ("jun", "junio"),
            ("jul", "julio"),
            ("ago", "agosto"),
            ("sep", "sept", "septiembre"),
            ("oct", "octubre"),
            ("nov", "noviembre"),
            ("dic", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{4})\s*[/-]\s*(\d{1,2})$")
_NAMED = re.compile(r"^([a-záéíóú]+)\.?\s+(\d{4})$", re.IGNORECASE)


class InflationFileError(Exception):
    """The file has no month the parser recognises; the message is Spanish."""


def _period(text: str) -> tuple[int, int] | None:
    text = text.strip().strip('"')
    match = _NUMERIC.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
    else:
        match = _NAMED.match(text)
        if not match or match[1].lower() not in MONTHS:
            return None
        year, month = int(match[2]), MONTHS[match[1].lower()]
    return (year, month) if 1 <= month <= 12 else None


def parse_inegi_csv(content: bytes) -> dict[tuple[int, int], Decimal]:
    """(year, month) → index from an INEGI BIE CSV export (title lines and notes are skipped).

    Periods as «2024/01», «2024-01» or «Ene 2024»; the first numeric column after the period is
    the index. The file may be UTF-8 (with BOM) or Latin-1, as INEGI has published both.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    found: dict[tuple[int, int], Decimal] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) < 2:
            continue
        period = _period(row[0])
        if not period:
            continue
        for cell in row[1:]:
            try:
                value = Decimal(cell.strip().replace(",", ""))
            except InvalidOperation:
                continue
            if value > 0:
                found[period] = value
                break
    if not found:
        raise InflationFileError(
            _("El archivo no tiene ningún mes reconocible (se esperan filas «2024/01,134.071»).")
        )
    return found


@transaction.atomic
def load(values: dict[tuple[int, int], Decimal], *, source: str, user=None) -> int:
    """Store the months of a file (replacing those already loaded); returns how many."""
    for (year, month), value in sorted(values.items()):
        InflationIndex.objects.update_or_create(
            year=year,
            month=month,
            defaults={"value": value, "source": source[:300], "loaded_by": user},
        )
    return len(values)


@dataclass(frozen=True)
class Adjuster:
    """Takes prices to the latest loaded month; ``available`` is False when no INPC is loaded."""

    indices: dict[tuple[int, int], Decimal]

    @classmethod
    def current(cls) -> "Adjuster":
        rows = InflationIndex.objects.values_list("year", "month", "value")
        return cls({(year, month): value for year, month, value in rows})

    @property
    def available(self) -> bool:
        return bool(self.indices)

    @property
    def base(self) -> tuple[int, int] | None:
        return max(self.indices) if self.indices else None

    def factor(self, date) -> Decimal | None:
        if not self.indices or date is None:
            return None
        index = self.indices.get((date.year, date.month))
        return self.indices[self.base] / index if index else None

    def adjust(self, price: Decimal, date) -> tuple[Decimal, bool]:
        """(price, adjusted?)."""
        factor = self.factor(date)
        return (price * factor, True) if factor is not None else (price, False)
