"""Bulk files of the published data, one set per year (``manage.py exportar_bulk``).

Per year, under OCDS_BULK_DIR/<year>/:
* ``compilados-<year>.jsonl.gz`` — one compiled release per line (records whose latest release is
  of that year, as OCP's Data Registry does);
* ``paquete-entregas-<year>.json.gz`` — a release package with every release dated that year
  (releases are immutable, so they never move between years);
* ``paquete-registros-<year>.json.gz`` — a record package with the records of the compiled file
  (each with its releases, compiled and versioned release), so a consumer rebuilds every
  process's history from bulk files alone (as Kingfisher does);
* ``tablas-<year>-csv.zip`` and ``tablas-<year>.xlsx`` — the flat tables of ocds_pages.flatten;
* ``tablas-completas-<year>-csv.zip`` and ``tablas-completas-<year>.xlsx`` — the full flattening
  of ocds_pages.flatten_full: every field of the schema, one table per array, with a data
  dictionary; in the workbook, Spanish titles above the column names, frozen headers, autofilter
  and dates as dates.
JSON files are split into parts when their uncompressed size would pass OCDS_BULK_MAX_BYTES
(OCP: 1 GB). ``metadata.json`` lists every file with size, count, sha256 and generated_at.

Memory stays constant: rows are streamed (PostgreSQL: ``COPY ... (FORMAT csv, QUOTE e'\\x01',
DELIMITER e'\\x02')``, which emits the stored JSON untouched — docs/arquitectura.md §6; elsewhere a
chunked iterator), and the spreadsheet is written in openpyxl's write-only mode.
"""

import csv
import gzip
import hashlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cms.links import absolute_url
from ocds_pages.flatten import TABLES, headers, table_rows
from ocds_pages.flatten_full import Table, all_tables, release_rows, spreadsheet_value, tables_for
from ocds_pages.models import Record, Release
from ocds_pages.packages import declared_by, package_metadata, stored_records

METADATA_NAME = "metadata.json"
XLSX_MAX_ROWS = 1_048_575  # one row of the sheet is the header
COPY_OPTIONS = "(FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')"


@dataclass
class BulkFile:
    """One file of the listing served at /api/ocds/bulk/."""

    name: str
    year: int
    format: str
    count: int
    size: int = 0
    uncompressed_size: int = 0
    sha256: str = ""
    generated_at: str = ""
    part: int | None = None


@dataclass
class YearSummary:
    year: int
    records: int = 0
    releases: int = 0
    files: list[BulkFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """What was written for the year, in Spanish (the command and the job show it)."""
        return _("%(year)d: %(records)d procesos, %(releases)d entregas, %(files)d archivos") % {
            "year": self.year,
            "records": self.records,
            "releases": self.releases,
            "files": len(self.files),
        }


# --- sources ------------------------------------------------------------------------------------


def years() -> list[int]:
    """Every year with a release or a compiled release."""
    found = {day.year for day in Release.objects.dates("date", "year")}
    found |= {day.year for day in Record.objects.dates("last_release_date", "year")}
    return sorted(found)


def compiled_queryset(year: int) -> QuerySet:
    return Record.objects.filter(last_release_date__year=year).order_by("pk")


def releases_queryset(year: int) -> QuerySet:
    return Release.objects.filter(date__year=year).order_by("pk")


def stored_texts(queryset: QuerySet, column: str) -> Iterator[bytes]:
    """The JSON text of ``column`` for every row, as bytes, without parsing it."""
    queryset = queryset.values_list(column, flat=True)
    if connection.vendor == "postgresql":
        yield from _copied_texts(queryset)
        return
    for text in queryset.iterator(2000):
        yield text.encode()


def _copied_texts(queryset: QuerySet) -> Iterator[bytes]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY ({sql}) TO STDOUT {COPY_OPTIONS}", params) as copy:
            for row in copy:
                yield bytes(row).rstrip(b"\n")


# --- writers ------------------------------------------------------------------------------------


class SplitGzipWriter:
    """Gzip files named ``<stem>.<suffix>``; a new part starts before OCDS_BULK_MAX_BYTES of
    uncompressed content would be passed. Each part is complete on its own (JSON Lines, or a
    release package with its own envelope)."""

    def __init__(self, directory: Path, stem: str, suffix: str, *, opening=b"", closing=b""):
        self.directory, self.stem, self.suffix = directory, stem, suffix
        self.opening, self.closing = opening, closing
        self.separator = b"," if opening else b"\n"
        self.limit = settings.OCDS_BULK_MAX_BYTES
        self.parts: list[tuple[Path, int, int]] = []  # path, count, uncompressed size
        self._handle = None

    def _open(self):
        path = self.directory / f"{self.stem}.part{len(self.parts) + 1:03d}.{self.suffix}"
        # Kept open across write() calls, closed by _close_part(): not a with-block.
        self._handle = gzip.open(path, "wb", compresslevel=6)  # noqa: SIM115
        self._handle.write(self.opening)
        self.parts.append((path, 0, len(self.opening)))

    def write(self, text: bytes) -> None:
        if self._handle is None:
            self._open()
        path, count, size = self.parts[-1]
        if count and size + self._cost(text, count) + len(self.closing) > self.limit:
            self._close_part()
            self._open()
            path, count, size = self.parts[-1]
        added = self._cost(text, count)
        if count and self.opening:
            self._handle.write(self.separator)
        self._handle.write(text)
        if not self.opening:
            self._handle.write(self.separator)
        self.parts[-1] = (path, count + 1, size + added)

    def _cost(self, text: bytes, count: int) -> int:
        """Bytes ``text`` adds: a newline after each line, or a comma before all but the first."""
        if self.opening and not count:
            return len(text)
        return len(text) + len(self.separator)

    def _close_part(self):
        self._handle.write(self.closing)
        path, count, size = self.parts[-1]
        self.parts[-1] = (path, count, size + len(self.closing))
        self._handle.close()
        self._handle = None

    def close(self) -> list[tuple[Path, int, int, int | None]]:
        """Finish; a single part loses its ``.part001`` (path, count, size, part number)."""
        if self._handle is None:
            self._open()
        self._close_part()
        if len(self.parts) == 1:
            path, count, size = self.parts[0]
            final = self.directory / f"{self.stem}.{self.suffix}"
            path.rename(final)
            return [(final, count, size, None)]
        return [
            (path, count, size, number) for number, (path, count, size) in enumerate(self.parts, 1)
        ]


class TableWriters:
    """The flat tables, as CSV files (zipped at the end) and as sheets of one XLSX workbook."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.handles, self.csv, self.rows = {}, {}, dict.fromkeys(TABLES, 0)
        for table in TABLES:
            handle = (directory / f"{table}.csv").open("w", encoding="utf-8-sig", newline="")
            self.handles[table] = handle
            self.csv[table] = csv.writer(handle)
            self.csv[table].writerow(headers(table))
        self.workbook = Workbook(write_only=True)
        self.sheets = {table: self.workbook.create_sheet(table) for table in TABLES}
        for table, sheet in self.sheets.items():
            sheet.append(headers(table))
        self.xlsx_refused: str | None = None

    def add(self, compiled: dict) -> None:
        for table, row in table_rows(compiled):
            self.csv[table].writerow(row)
            self.rows[table] += 1
            if self.xlsx_refused is None:
                if self.rows[table] > XLSX_MAX_ROWS:
                    self.xlsx_refused = table
                else:
                    self.sheets[table].append(row)

    def finish(self, zip_path: Path, xlsx_path: Path | None) -> None:
        for handle in self.handles.values():
            handle.close()
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in TABLES:
                archive.write(self.directory / f"{table}.csv", arcname=f"{table}.csv")
                (self.directory / f"{table}.csv").unlink()
        if xlsx_path is not None:
            self.workbook.save(xlsx_path)
        else:
            # An unsaved write-only workbook leaves its sheets' writers open; close them.
            for sheet in self.sheets.values():
                sheet.close()


DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
DICTIONARY = "diccionario"
DICTIONARY_HEADINGS = ["tabla", "ruta del arreglo", "columna", "título", "tipo"]


class FullTableWriters:
    """The full flattening: a CSV per table (zipped with ``diccionario.csv``) and a sheet per
    table of one workbook (with a ``diccionario`` sheet first). A table gets its file or sheet
    with its first row, so tables no process uses are left out; rows are written as they come
    (openpyxl's write-only mode), whatever the number of processes."""

    def __init__(self, directory: Path, main: Table):
        self.directory, self.main = directory, main
        self.order = {table.name: index for index, table in enumerate(all_tables(main))}
        self.handles, self.csv, self.rows, self.sheets = {}, {}, {}, {}
        self.tables: dict[str, Table] = {}
        self.kinds: dict[str, list[str]] = {}
        self.workbook = Workbook(write_only=True)
        self.bold = Font(bold=True)
        self.xlsx_refused: str | None = None

    def _open(self, table: Table) -> None:
        handle = (self.directory / f"{table.name}.csv").open("w", encoding="utf-8-sig", newline="")
        self.handles[table.name], self.csv[table.name] = handle, csv.writer(handle)
        self.csv[table.name].writerow(table.headings())
        self.rows[table.name], self.tables[table.name] = 0, table
        self.kinds[table.name] = table.kinds()
        sheet = self.workbook.create_sheet(table.name[:31])
        sheet.freeze_panes = "A3"  # before the first row: the sheet view is written with it
        sheet.append([self._bold(sheet, title) for title in table.titles()])
        sheet.append([self._bold(sheet, heading) for heading in table.headings()])
        self.sheets[table.name] = sheet

    def _bold(self, sheet, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = self.bold
        return cell

    def _xlsx_row(self, sheet, table: Table, row: list) -> list:
        cells = []
        for value, kind in zip(row, self.kinds[table.name], strict=True):
            value = spreadsheet_value(value, kind)
            if kind == "datetime" and value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                value = cell
            cells.append(value)
        return cells

    def add(self, compiled: dict) -> None:
        for table, row in release_rows(self.main, compiled):
            if table.name not in self.csv:
                self._open(table)
            self.csv[table.name].writerow(row)
            self.rows[table.name] += 1
            if self.xlsx_refused is not None:
                continue
            if self.rows[table.name] > XLSX_MAX_ROWS - 1:  # two header rows
                self.xlsx_refused = table.name
            else:
                sheet = self.sheets[table.name]
                sheet.append(self._xlsx_row(sheet, table, row))

    def _dictionary_rows(self) -> list[list]:
        return [
            [name, self.tables[name].path, heading, title, kind]
            for name in self._names()
            for heading, title, kind in zip(
                self.tables[name].headings(),
                self.tables[name].titles(),
                self.tables[name].kinds(),
                strict=True,
            )
        ]

    def _names(self) -> list[str]:
        return sorted(self.tables, key=self.order.__getitem__)

    def finish(self, zip_path: Path, xlsx_path: Path | None) -> None:
        for handle in self.handles.values():
            handle.close()
        dictionary = [DICTIONARY_HEADINGS, *self._dictionary_rows()]
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open(f"{DICTIONARY}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                csv.writer(text).writerows(dictionary)
                text.flush()
                text.detach()
            for name in self._names():
                archive.write(self.directory / f"{name}.csv", arcname=f"{name}.csv")
                (self.directory / f"{name}.csv").unlink()
        if xlsx_path is None:
            for sheet in self.sheets.values():
                sheet.close()
            return
        self._finish_workbook(dictionary, xlsx_path)

    def _finish_workbook(self, dictionary: list[list], xlsx_path: Path) -> None:
        for name, sheet in self.sheets.items():
            width = len(self.tables[name].headings())
            last = get_column_letter(width)
            sheet.auto_filter.ref = f"A2:{last}{self.rows[name] + 2}"
        index = self.workbook.create_sheet(DICTIONARY)
        index.freeze_panes = "A2"
        index.append([self._bold(index, heading) for heading in dictionary[0]])
        for row in dictionary[1:]:
            index.append(row)
        index.auto_filter.ref = f"A1:E{len(dictionary)}"
        # The dictionary first, then the tables in the order of the schema.
        self.workbook._sheets = [index, *(self.sheets[name] for name in self._names())]
        self.workbook.save(xlsx_path)


# --- export ---------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe(path: Path, root: Path, *, year, fmt, count, uncompressed=0, part=None) -> BulkFile:
    return BulkFile(
        name=path.relative_to(root).as_posix(),
        year=year,
        format=fmt,
        count=count,
        size=path.stat().st_size,
        uncompressed_size=uncompressed,
        sha256=_sha256(path),
        generated_at=timezone.now().isoformat(timespec="seconds"),
        part=part,
    )


def _package_envelope(year: int, stem: str, key: str, queryset: QuerySet) -> tuple[bytes, bytes]:
    """The opening and closing of a package of the items of ``queryset``: it declares every
    extension they declare (ours, and those of the imported ones)."""
    uri = absolute_url(f"/api/ocds/bulk/{year}/{stem}-{year}.json.gz")
    metadata = package_metadata(uri=uri, extensions=declared_by(queryset))
    opening = orjson.dumps(metadata)[:-1] + b',"' + key.encode() + b'":['
    return opening, b"]}"


def _release_package_envelope(year: int) -> tuple[bytes, bytes]:
    return _package_envelope(year, "paquete-entregas", "releases", releases_queryset(year))


def _write_record_package(year: int, directory: Path, staging: Path, summary) -> None:
    """The year's records with their releases and versioned release, in one record package
    (split like the others). None for a year without records: a record package must hold one."""
    if not compiled_queryset(year).exists():
        return
    opening, closing = _package_envelope(
        year, "paquete-registros", "records", compiled_queryset(year)
    )
    package = SplitGzipWriter(
        directory, f"paquete-registros-{year}", "json.gz", opening=opening, closing=closing
    )
    for record in stored_records(queryset=compiled_queryset(year)):
        package.write(record)
    _list_parts(package, staging, summary, fmt="record-package.json.gz")


def _list_parts(writer: SplitGzipWriter, staging: Path, summary: YearSummary, *, fmt: str):
    """Close ``writer`` and list each part it wrote in the year's files."""
    for path, count, size, part in writer.close():
        summary.files.append(
            _describe(
                path, staging, year=summary.year, fmt=fmt, count=count, uncompressed=size, part=part
            )
        )


def export_year(
    year: int, root: Path, staging: Path, progress: Callable[[int], None]
) -> YearSummary:
    """Write the files of ``year`` into ``staging/<year>`` (moved into ``root`` by the caller)."""
    directory = staging / str(year)
    directory.mkdir(parents=True)
    summary = YearSummary(year=year)
    jsonl = SplitGzipWriter(directory, f"compilados-{year}", "jsonl.gz")
    tables = TableWriters(directory)
    full = directory / "completas"
    full.mkdir()
    full_tables = FullTableWriters(full, tables_for(compiled_queryset(year)))
    for text in stored_texts(compiled_queryset(year), "compiled_release"):
        jsonl.write(text)
        compiled = orjson.loads(text)
        tables.add(compiled)
        full_tables.add(compiled)
        summary.records += 1
        progress(1)
    _list_parts(jsonl, staging, summary, fmt="jsonl.gz")
    opening, closing = _release_package_envelope(year)
    package = SplitGzipWriter(
        directory, f"paquete-entregas-{year}", "json.gz", opening=opening, closing=closing
    )
    for text in stored_texts(releases_queryset(year), "data"):
        package.write(text)
        summary.releases += 1
        progress(1)
    _list_parts(package, staging, summary, fmt="release-package.json.gz")
    _write_record_package(year, directory, staging, summary)
    _finish_tables(tables, directory, staging, summary)
    _finish_tables(full_tables, directory, staging, summary, full=True)
    full.rmdir()
    return summary


def _finish_tables(tables, directory: Path, staging: Path, summary: YearSummary, full=False):
    """Close the curated or the ``full`` tables: the CSV zip, and the workbook unless a table
    is too long for a sheet or the year's JSON is too big for a spreadsheet."""
    stem, prefix = ("tablas-completas", "full.") if full else ("tablas", "")
    json_size = sum(item.uncompressed_size for item in summary.files if item.format == "jsonl.gz")
    xlsx_path = directory / f"{stem}-{summary.year}.xlsx"
    if tables.xlsx_refused:
        summary.notes.append(
            f"xlsx omitido: la tabla {tables.xlsx_refused} excede {XLSX_MAX_ROWS} filas"
        )
        xlsx_path = None
    elif json_size > settings.OCDS_BULK_MAX_BYTES:
        # As OCP's Data Registry: no spreadsheet for more than 1 GB of JSON.
        summary.notes.append(_("XLSX omitido: el JSON del año excede OCDS_BULK_MAX_BYTES."))
        xlsx_path = None
    zip_path = directory / f"{stem}-{summary.year}-csv.zip"
    tables.finish(zip_path, xlsx_path)
    summary.files.append(
        _describe(
            zip_path, staging, year=summary.year, fmt=f"{prefix}csv.zip", count=summary.records
        )
    )
    if xlsx_path is not None:
        summary.files.append(
            _describe(
                xlsx_path, staging, year=summary.year, fmt=f"{prefix}xlsx", count=summary.records
            )
        )


def read_metadata(root: Path | None = None) -> dict:
    """The listing of bulk files (``{"generated_at": ..., "files": [...]}``), empty if none."""
    path = (root or Path(settings.OCDS_BULK_DIR)) / METADATA_NAME
    if not path.exists():
        return {"generated_at": None, "files": []}
    return orjson.loads(path.read_bytes())


def export(
    *, only_years: list[int] | None = None, progress: Callable[[int], None] = lambda n: None
) -> list[YearSummary]:
    """Export every year (or ``only_years``); each year's folder is replaced only when complete."""
    root = Path(settings.OCDS_BULK_DIR)
    root.mkdir(parents=True, exist_ok=True)
    chosen = only_years or years()
    summaries = []
    with tempfile.TemporaryDirectory(dir=root, prefix=".generando-") as staging:
        for year in chosen:
            summaries.append(export_year(year, root, Path(staging), progress))
            shutil.rmtree(root / str(year), ignore_errors=True)
            (Path(staging) / str(year)).rename(root / str(year))
    _write_metadata(root, summaries)
    return summaries


def _write_metadata(root: Path, summaries: list[YearSummary]) -> None:
    renewed = {summary.year for summary in summaries}
    kept = [item for item in read_metadata(root)["files"] if item["year"] not in renewed]
    files = kept + [asdict(item) for summary in summaries for item in summary.files]
    files.sort(key=lambda item: (item["year"], item["name"]))
    listing = {"generated_at": timezone.now().isoformat(timespec="seconds"), "files": files}
    temporary = root / f".{METADATA_NAME}.tmp"
    temporary.write_bytes(orjson.dumps(listing, option=orjson.OPT_INDENT_2))
    temporary.replace(root / METADATA_NAME)


def count_rows(only_years: list[int] | None = None) -> int:
    """How many rows an export will stream (for the progress bar)."""
    chosen = only_years or years()
    return sum(compiled_queryset(year).count() + releases_queryset(year).count() for year in chosen)
