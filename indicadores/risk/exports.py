"""Every table of the risk dashboard as CSV or XLSX (openpyxl, already a dependency).

Texts that a spreadsheet would run as a formula get a leading apostrophe (CSV injection, OWASP),
as the public search's CSV does; numbers stay numbers.
"""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from indicadores.risk.dashboard import Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return f"'{value}"
    return value


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if value is None else _safe(value) for value in row])
    # With a byte-order mark, spreadsheets open the accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.name[:31])
    sheet.append([table.title])
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "csv": (as_csv, "text/csv; charset=utf-8"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
