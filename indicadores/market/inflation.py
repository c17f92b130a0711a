"""The INPC table: loaded by the national administrator from INEGI's CSV, used to adjust prices.

Nothing is shipped: without rows no price is adjusted, and the screens and the API say so. A
price of month m is taken to the latest loaded month L as price × INPC(L) / INPC(m); a price whose
month has no index is left as published and marked.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
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


FIRST_YEAR = 1969  # INEGI's monthly INPC series starts in January 1969
MAX_BYTES = 2 * 1024 * 1024  # the whole series since 1969 is about 15 KB


class InflationFileError(Exception):
    """The file is not an INPC table this installation can use; the message is Spanish."""


def _label(period: tuple[int, int]) -> str:
    return f"{period[0]}-{period[1]:02d}"


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
                if found.get(period, value) != value:
                    raise InflationFileError(
                        _("El mes %(period)s aparece dos veces con valores distintos.")
                        % {"period": _label(period)}
                    )
                found[period] = value
                break
    if not found:
        raise InflationFileError(
            _("El archivo no tiene ningún mes reconocible (se esperan filas «2024/01,134.071»).")
        )
    return found


def check(values: dict[tuple[int, int], Decimal], *, today: date | None = None) -> None:
    """What a whole table must be before it replaces the loaded one: months from 1969 to this
    month, none missing between the first and the last (a gap would leave prices unadjusted
    without anyone noticing)."""
    today = today or date.today()
    for period in sorted(values):
        if period[0] < FIRST_YEAR or period > (today.year, today.month):
            raise InflationFileError(
                _("El mes %(period)s está fuera de la serie del INPC (enero de 1969 a este mes).")
                % {"period": _label(period)}
            )
    (year, month), last = min(values), max(values)
    missing = []
    while (year, month) < last:
        if (year, month) not in values:
            missing.append(_label((year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if missing:
        shown = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
        raise InflationFileError(
            _("Faltan meses entre %(first)s y %(last)s (%(count)s): %(missing)s.")
            % {
                "count": len(missing),
                "first": _label(min(values)),
                "last": _label(last),
                "missing": shown,
            }
        )


def read_table(content: bytes) -> dict[tuple[int, int], Decimal]:
    """The INPC table of an uploaded file, parsed and checked (InflationFileError if not)."""
    if len(content) > MAX_BYTES:
        raise InflationFileError(
            _("El archivo pesa más de 2 MB: no parece la serie del INPC exportada de INEGI.")
        )
    values = parse_inegi_csv(content)
    check(values)
    return values


@transaction.atomic
def load(values: dict[tuple[int, int], Decimal], *, source: str, user=None) -> int:
    """Make ``values`` the INPC table: the months loaded before are replaced whole, in one
    transaction (a failure keeps the previous table). Returns how many months."""
    InflationIndex.objects.all().delete()
    InflationIndex.objects.bulk_create(
        InflationIndex(year=year, month=month, value=value, source=source[:300], loaded_by=user)
        for (year, month), value in sorted(values.items())
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
