"""SAT's article 69-B list (EFOS): read the official CSV and keep each RFC's dated history.

The file (docs/registros.md §3) is Windows-1252, starts with two
preamble lines, and has one row per taxpayer with its whole history spread over columns: for each
stage (presunto, desvirtuado, definitivo, sentencia favorable) the global notice ("oficio") and
its publication on the SAT page and in the DOF. We pivot those columns into one dated event per
stage. Header spellings vary between releases (accents, case, spacing, " SAT"/" DOF" suffixes or
duplicated names), so columns are recognised by their words, not by exact text.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integraciones.conf import sync_settings
from integraciones.exceptions import ProtocolError, RecoverableError
from integraciones.models import Sat69bEvent, Sat69bTaxpayer
from ocds_pages.party_keys import normalise_name, normalise_rfc, strip_accents

Stage = Sat69bEvent.Stage
STAGE_WORDS = (
    ("presun", Stage.PRESUMED),
    ("desvirtu", Stage.DISPROVED),
    ("definitiv", Stage.DEFINITIVE),
    ("sentencia", Stage.FAVOURABLE_RULING),
)
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
        start=1,
    )
}
MONTHS["setiembre"] = 9
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
TEXT_DATE = re.compile(r"\b(\d{1,2})\s+de\s+([a-z]+)\s+(?:de|del)\s+(\d{4})\b")
BATCH = 500


def canonical(text: str) -> str:
    """Lower case, no accents, words separated by single spaces: how headers are compared."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", strip_accents(text or "").lower()).split())


def is_rfc_header(header: str) -> bool:
    """ "RFC", "rfc " and "R.F.C." are the same column."""
    return canonical(header).replace(" ", "") == "rfc"


def parse_mx_date(text: str | None) -> datetime.date | None:
    """The first date in a cell: 27/02/2019, 2019-02-27 or "27 de febrero de 2019"."""
    if not text:
        return None
    plain = canonical(text.replace("/", " / ").replace("-", " - "))
    candidates = []
    if match := NUMERIC_DATE.search(text):
        candidates.append((match.start(), int(match[3]), int(match[2]), int(match[1])))
    if match := ISO_DATE.search(text):
        candidates.append((match.start(), int(match[1]), int(match[2]), int(match[3])))
    if (match := TEXT_DATE.search(plain)) and match[2] in MONTHS:
        # Positions in `plain` and `text` differ; a textual date only wins if nothing else found.
        candidates.append((len(text), int(match[3]), MONTHS[match[2]], int(match[1])))
    for _position, year, month, day in sorted(candidates):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    return None


def _stage_of(header: str) -> str | None:
    return next((stage for word, stage in STAGE_WORDS if word in header), None)


def column_roles(headers: list[str]) -> dict[int, tuple[str, ...]]:
    """Map column index -> role: ("rfc",), ("name",), ("status",), ("notice", stage, channel)
    or ("published", stage, channel), channel being "sat" or "dof"."""
    roles: dict[int, tuple[str, ...]] = {}
    notices_seen: dict[str, int] = {}
    for index, header in enumerate(canonical(h) for h in headers):
        words = header.split()
        if is_rfc_header(header):
            roles[index] = ("rfc",)
        elif "nombre" in words:
            roles[index] = ("name",)
        elif "situacion" in words:
            roles[index] = ("status",)
        elif (stage := _stage_of(header)) is None:
            continue
        elif "oficio" in words:
            # Older files repeat the same header for the SAT and the DOF notice, in that order.
            seen = notices_seen[stage] = notices_seen.get(stage, 0) + 1
            channel = (
                "dof" if "dof" in words else "sat" if "sat" in words else ("sat", "dof")[seen > 1]
            )
            roles[index] = ("notice", stage, channel)
        elif "publicacion" in words:
            roles[index] = ("published", stage, "dof" if "dof" in words else "sat")
    return roles


@dataclass
class TaxpayerRow:
    """One taxpayer of the file with its events, ready to store."""

    rfc: str
    name: str
    status: str
    raw: dict[str, str]
    events: dict[str, dict] = field(default_factory=dict)


def _status(text: str) -> str:
    return _stage_of(canonical(text)) or canonical(text)


def _event_values(stage_cells: dict[str, str]) -> dict | None:
    if not any(stage_cells.values()):
        return None
    sat_date = parse_mx_date(stage_cells.get("published_sat"))
    dof_date = parse_mx_date(stage_cells.get("published_dof"))
    notice_date = parse_mx_date(stage_cells.get("notice_sat") or stage_cells.get("notice_dof"))
    known = [date for date in (sat_date, dof_date) if date]
    return {
        "date": min(known) if known else notice_date,
        "sat_published_on": sat_date,
        "dof_published_on": dof_date,
        "sat_notice": (stage_cells.get("notice_sat") or "")[:255],
        "dof_notice": (stage_cells.get("notice_dof") or "")[:255],
        "notice_date": notice_date,
    }


def _row(cells: list[str], headers: list[str], roles: dict[int, tuple[str, ...]]) -> TaxpayerRow:
    values: dict[str, str] = {}
    per_stage: dict[str, dict[str, str]] = {}
    for index, role in roles.items():
        cell = cells[index].strip() if index < len(cells) else ""
        if len(role) == 1:
            values[role[0]] = cell
        else:
            kind, stage, channel = role
            per_stage.setdefault(stage, {})[f"{kind}_{channel}"] = cell
    events = {stage: ev for stage, cells_ in per_stage.items() if (ev := _event_values(cells_))}
    return TaxpayerRow(
        rfc=normalise_rfc(values.get("rfc")),
        name=values.get("name", ""),
        status=_status(values.get("status", "")),
        raw={header: (cells[i] if i < len(cells) else "") for i, header in enumerate(headers)},
        events=events,
    )


def decode(data: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else the official Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(data: bytes) -> tuple[list[TaxpayerRow], int]:
    """All taxpayer rows of a file, and how many rows were skipped for lack of an RFC."""
    rows = list(csv.reader(io.StringIO(decode(data))))
    header_at = next(
        (i for i, row in enumerate(rows[:20]) if any(is_rfc_header(cell) for cell in row)),
        None,
    )
    if header_at is None:
        raise ProtocolError(_("El archivo no tiene una fila de encabezados con la columna RFC."))
    headers = rows[header_at]
    roles = column_roles(headers)
    parsed, skipped = [], 0
    for cells in rows[header_at + 1 :]:
        if not any(cell.strip() for cell in cells):
            continue
        row = _row(cells, headers, roles)
        if row.rfc:
            parsed.append(row)
        else:
            skipped += 1
    return parsed, skipped


def fetch(source: str) -> bytes:
    """The file's bytes, from a local path or an http(s) URL."""
    if not re.match(r"^https?://", source):
        return Path(source).read_bytes()
    timeout = sync_settings().data_timeout
    try:
        response = requests.get(source, timeout=timeout)
    except requests.RequestException as exc:
        raise RecoverableError(
            _("No se pudo descargar %(url)s: %(error)s") % {"url": source, "error": exc}
        ) from exc
    if response.status_code != 200:
        raise RecoverableError(
            _("%(url)s respondió HTTP %(status)s.")
            % {"url": source, "status": response.status_code}
        )
    return response.content


@dataclass
class Sat69bSummary:
    """What an import did, for the command's summary."""

    rows: int = 0
    created: int = 0
    updated: int = 0  # only taxpayers whose name, status, row or listing changed
    unchanged: int = 0
    events: int = 0
    skipped: int = 0
    no_longer_listed: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# What makes a stored taxpayer "updated" by an import (fetched_at and source are refreshed on
# every import and say when and from where it was last seen, not that anything changed).
COMPARED_FIELDS = ("name", "name_normalised", "status", "in_latest_list", "raw")


def _state(taxpayer: Sat69bTaxpayer) -> list:
    return [getattr(taxpayer, name) for name in COMPARED_FIELDS]


def _store(
    rows: list[TaxpayerRow], *, source: str, progress: Callable[[Iterable], Iterable]
) -> Sat69bSummary:
    now = timezone.now()
    by_rfc = {row.rfc: row for row in rows}  # a repeated RFC: the last row wins
    existing = {
        rfc: (pk, state)
        for rfc, pk, *state in Sat69bTaxpayer.objects.values_list("rfc", "id", *COMPARED_FIELDS)
    }
    summary = Sat69bSummary(rows=len(rows))
    for batch in progress(list(_batches(list(by_rfc.values())))):
        objects = [
            Sat69bTaxpayer(
                id=existing.get(row.rfc, (None,))[0],
                rfc=row.rfc,
                name=row.name[:500],
                name_normalised=normalise_name(row.name)[:500],
                status=row.status[:30],
                source=source[:500],
                fetched_at=now,
                in_latest_list=True,
                raw=row.raw,
            )
            for row in batch
        ]
        new = [obj for obj in objects if obj.id is None]
        old = [obj for obj in objects if obj.id is not None]
        Sat69bTaxpayer.objects.bulk_create(new)
        Sat69bTaxpayer.objects.bulk_update(
            old,
            ["name", "name_normalised", "status", "source", "fetched_at", "in_latest_list", "raw"],
        )
        summary.created += len(new)
        changed = sum(1 for obj in old if _state(obj) != existing[obj.rfc][1])
        summary.updated += changed
        summary.unchanged += len(old) - changed
    ids = dict(Sat69bTaxpayer.objects.filter(rfc__in=by_rfc).values_list("rfc", "id"))
    # The file carries each taxpayer's whole history, so its events replace the stored ones.
    Sat69bEvent.objects.filter(taxpayer_id__in=ids.values()).delete()
    events = [
        Sat69bEvent(taxpayer_id=ids[row.rfc], stage=stage, **values)
        for row in by_rfc.values()
        for stage, values in row.events.items()
    ]
    for batch in _batches(events):
        Sat69bEvent.objects.bulk_create(batch)
    summary.events = len(events)
    summary.no_longer_listed = (
        Sat69bTaxpayer.objects.exclude(rfc__in=by_rfc)
        .filter(in_latest_list=True)
        .update(in_latest_list=False)
    )
    for row in by_rfc.values():
        summary.by_status[row.status] = summary.by_status.get(row.status, 0) + 1
    return summary


def sat69b_import(
    *, source: str, progress: Callable[[Iterable], Iterable] = lambda items: items
) -> Sat69bSummary:
    """Import the 69-B list from a path or URL; importing the same file again changes nothing."""
    rows, skipped = read_rows(fetch(source))
    if not rows:
        raise ProtocolError(_("El archivo no contiene contribuyentes con RFC."))
    with transaction.atomic():
        summary = _store(rows, source=source, progress=progress)
    summary.skipped = skipped
    return summary
