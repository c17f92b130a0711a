"""Import OCDS published by other systems (or an earlier installation) through publication.

Accepted inputs, optionally gzip-compressed: a release package, a record package (its embedded
releases; a record with only a compiledRelease is imported as one release), a JSON array of
releases, and JSON Lines whose lines are releases, compiled releases, records or packages.

Guarantees: a file that is not well-formed JSON is rejected whole before anything is stored (we
could not tell which processes it cuts in half); releases are grouped by ocid and each process is
stored atomically through ``publish_releases``; an invalid process never stops the others; a
release already stored (same ocid and id, same content) is skipped and counted, and one with the
same ocid and id but different content is a conflict, reported and never stored.

Third-party data never touches this installation's own processes: an ocid under our own prefix
is refused, and an ocid whose prefix is not of the registered form ``ocds-`` plus six lowercase
letters or digits is refused unless the import allows it explicitly (then reported). Imported
data is checked against OCDS; our capture rules (LAASSP) only give warnings (docs/ocds.md §8).
"""

import gzip
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import ijson
import orjson
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cms.models import RFC_PATTERN, Entity, PurchasingUnit
from ocds_pages.declared_extensions import declared_release_schema, ordered_union
from ocds_pages.models import Record, Release
from ocds_pages.publication import IMPORT_RULES, ReleaseInvalid, publish_releases
from ocds_pages.validation import capture_rule_breaches
from ocds_pages.versioned import releases_from_versioned

# The registered form of an OCID prefix (what lib-cove-ocds checks): ocds- and six characters.
REGISTERED_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}-")


class ImportFileError(Exception):
    """The file cannot be read as OCDS JSON at all (truncated, not JSON, unknown shape)."""


# Messages an import keeps for its final report; the rest are counted (and were already shown
# by ``on_message`` as they were found), so a file full of errors keeps memory constant.
MAX_KEPT_MESSAGES = 1000
# Issues reported per invalid process: the first ones say what is wrong; 2,023 copies of the
# same mistake in one release say nothing more.
MAX_ISSUES_PER_PROCESS = 20


@dataclass
class ImportSummary:
    imported: int = 0
    duplicates: int = 0
    conflicts: int = 0
    invalid: int = 0
    refused_ocid: int = 0
    without_entity: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_extensions: set[str] = field(default_factory=set)  # reported once per import
    error_count: int = 0
    warning_count: int = 0
    # Called with ("error" | "warning", text) as soon as each is found: a command prints it
    # then, not after the whole file (the first error of a big file shows in seconds).
    on_message: Callable[[str, str], None] | None = None

    def add_error(self, location: str, message: str) -> None:
        self.error_count += 1
        self._keep(self.errors, "error", f"{location}: {message}")

    def add_warning(self, location: str, message: str) -> None:
        self.warning_count += 1
        self._keep(self.warnings, "warning", f"{location}: {message}")

    def _keep(self, kept: list[str], kind: str, text: str) -> None:
        if len(kept) < MAX_KEPT_MESSAGES:
            kept.append(text)
        if self.on_message is not None:
            self.on_message(kind, text)

    def report(self, rejected_files: int) -> str:
        """The figures of the import, in Spanish, one a line (the command and the job show it)."""
        lines = [
            _("Importadas: %(count)s") % {"count": self.imported},
            _("Omitidas por repetidas: %(count)s") % {"count": self.duplicates},
            _("En conflicto (mismo id, otro contenido): %(count)s") % {"count": self.conflicts},
            _("Inválidas: %(count)s") % {"count": self.invalid},
            _("Rechazadas por su ocid: %(count)s") % {"count": self.refused_ocid},
            _("Avisos de las reglas de captura: %(count)s") % {"count": self.warning_count},
            _("Sin ente: %(count)s") % {"count": self.without_entity},
            _("Archivos rechazados: %(count)s") % {"count": rejected_files},
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportOptions:
    """What the person importing allowed: ``any_prefix`` accepts ocids whose prefix is not of
    the registered ``ocds-xxxxxx`` form (each such process is reported)."""

    any_prefix: bool = False


@dataclass(frozen=True)
class Item:
    """One release read from a file, with where it came from (for error messages) and the
    extensions its package declared (none when it came without a package)."""

    location: str
    release: object
    extensions: tuple[str, ...] = ()


# --- reading ---------------------------------------------------------------------------------
#
# A file is read twice, both times as a stream of ijson events (never whole, never a whole line:
# a minified 1 GB package is one line): ``scan_file`` checks that it is well-formed JSON before
# anything is stored, says where it breaks, counts the releases (the progress bar's total) and
# tells packages (their ``releases``/``records`` are read one at a time, their ``extensions``
# apply to all) from releases and records (read whole, one per value). ``read_items`` then builds
# one release or record at a time: the memory of an import is that of its largest process.

PACKAGE_ARRAYS = ("releases", "records")
STARTS, ENDS = ("start_map", "start_array"), ("end_map", "end_array")


def open_binary(path: Path):
    with path.open("rb") as handle:
        compressed = handle.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if compressed else path.open("rb")


@dataclass
class FileScan:
    """What the first read of a file found: how many releases or records it holds, how many
    top-level JSON values (JSON Lines: one a line) and which of them are packages (value index
    → the extensions the package declares)."""

    count: int = 0
    values: int = 0
    packages: dict[int, tuple[str, ...]] = field(default_factory=dict)
    arrays: set[int] = field(default_factory=set)  # values that are a bare array of releases


class _ValueScan:
    """The top-level keys of one JSON value, seen as its events go by."""

    def __init__(self):
        self.keys, self.extensions, self.items = set(), [], 0

    def event(self, prefix: str, event: str, value) -> None:
        if prefix == "" and event == "map_key":
            self.keys.add(value)
        elif prefix == "extensions.item" and event == "string":
            self.extensions.append(value)
        elif prefix in ("releases.item", "records.item") and event == "start_map":
            self.items += 1

    def is_package(self) -> bool:
        """A package holds releases or records and, unlike a record, has no ocid of its own."""
        return bool(self.keys & set(PACKAGE_ARRAYS)) and "ocid" not in self.keys


def _where(scan: FileScan, handle) -> str:
    """Where a file broke: the line of a JSON Lines file, else the byte (ijson reads ahead in
    blocks, so the byte is approximate)."""
    if scan.values > 1:
        return _("Línea %(line)s") % {"line": scan.values}
    return _("Cerca del byte %(byte)s") % {"byte": handle.tell()}


def _scan_events(handle, scan: FileScan) -> None:
    depth, current = 0, None
    for prefix, event, value in ijson.parse(handle, multiple_values=True):
        if depth == 0:
            if event not in STARTS:
                raise ImportFileError(_("El archivo no es OCDS: se esperaba un objeto o arreglo."))
            scan.values += 1
            current = _ValueScan()
            if event == "start_array":
                scan.arrays.add(scan.values - 1)
        current.event(prefix, event, value)
        depth += 1 if event in STARTS else -1 if event in ENDS else 0
        if depth == 0:
            _close_value(scan, current)


def _close_value(scan: FileScan, current: _ValueScan) -> None:
    index = scan.values - 1
    if index in scan.arrays:
        scan.count += 1  # its elements are not counted: a rough total is enough for progress
    elif current.is_package():
        scan.packages[index] = ordered_union(current.extensions)
        scan.count += current.items
    else:
        scan.count += 1


def scan_file(path: Path) -> FileScan:
    """Read the whole file once as a stream, keeping nothing of it but a few counts.

    Raises ImportFileError, saying where the file breaks, before anything is stored.
    """
    scan = FileScan()
    with open_binary(path) as handle:
        try:
            _scan_events(handle, scan)
        except (ijson.JSONError, ValueError) as error:
            message = _("%(where)s: JSON mal formado o truncado (%(error)s).") % {
                "where": _where(scan, handle),
                "error": str(error).strip()[:200],
            }
            raise ImportFileError(message) from error
        except EOFError as error:  # gzip stream cut short
            raise ImportFileError(_("El archivo comprimido está truncado.")) from error
    if not scan.values:
        raise ImportFileError(_("El archivo está vacío."))
    return scan


def check_well_formed(path: Path) -> int:
    """How many releases or records a well-formed file holds (ImportFileError otherwise)."""
    return scan_file(path).count


def releases_of_record(record: dict, location: str, extensions=()) -> Iterator[Item]:
    """The embedded releases of a record; when it only links them, the releases its
    versionedRelease records (every one, with its id, date and tag); its compiledRelease only
    when it has neither."""
    embedded = [
        release
        for release in record.get("releases") or []
        if isinstance(release, dict) and "ocid" in release and "id" in release
    ]
    if embedded:
        for index, release in enumerate(embedded):
            yield Item(f"{location}/releases/{index}", release, extensions)
    elif isinstance(record.get("versionedRelease"), dict):
        for release in releases_from_versioned(record["versionedRelease"]):
            yield Item(f"{location}/versionedRelease ({release['id']})", release, extensions)
    elif isinstance(record.get("compiledRelease"), dict):
        yield Item(f"{location}/compiledRelease", record["compiledRelease"], extensions)
    else:
        yield Item(location, record, extensions)  # validation will say what is missing


def _declared(package: dict) -> tuple[str, ...]:
    return ordered_union(package.get("extensions") if isinstance(package, dict) else None)


def releases_of_object(obj: object, location: str, extensions=()) -> Iterator[Item]:
    """A JSON Lines object may be a release, a compiled release, a record or a package."""
    if isinstance(obj, dict) and isinstance(obj.get("records"), list):
        for index, record in enumerate(obj["records"]):
            yield from releases_of_record(record, f"{location}/records/{index}", _declared(obj))
    elif isinstance(obj, dict) and "publisher" in obj and isinstance(obj.get("releases"), list):
        for index, release in enumerate(obj["releases"]):
            yield Item(f"{location}/releases/{index}", release, _declared(obj))
    elif (
        isinstance(obj, dict)
        and ("compiledRelease" in obj or "tag" not in obj)
        and "releases" in obj
    ):
        yield from releases_of_record(obj, location, extensions)
    else:
        yield Item(location, obj, extensions)


def _built(events) -> object:
    """Feed events to an ObjectBuilder from a start event until its matching end."""
    builder, level = ijson.ObjectBuilder(), 0
    for _prefix, event, value in events:
        builder.event(event, value)
        level += 1 if event in STARTS else -1 if event in ENDS else 0
        if level == 0:
            return builder.value
    raise ImportFileError(_("El archivo terminó antes de tiempo."))


def _wanted(scan: FileScan, index: int, prefix: str) -> bool:
    """Which values are built as one object: each release or record of a package, each element
    of a bare array, any other top-level value whole."""
    if index in scan.packages:
        return prefix in ("releases.item", "records.item")
    if index in scan.arrays:
        return prefix == "item"
    return prefix == ""


def _objects(handle, scan: FileScan) -> Iterator[tuple[int, str, object]]:
    """(value index, prefix, object) for each object to import, built one at a time."""
    events = iter(ijson.parse(handle, multiple_values=True, use_float=True))
    depth, index = 0, -1
    for prefix, event, value in events:
        if depth == 0:
            index += 1
        if event in STARTS and _wanted(scan, index, prefix):
            built = _built(itertools.chain([(prefix, event, value)], events))
            yield index, prefix, built
            continue  # the builder consumed the events up to the matching end
        depth += 1 if event in STARTS else -1 if event in ENDS else 0


def _items_of(scan: FileScan, name: str, index: int, prefix: str, obj, number: int):
    """The Items of one built object; ``number`` counts the objects of its value."""
    # Values of JSON Lines (and a lone release or record) are named by their line.
    lone = index in scan.packages or index in scan.arrays
    where = name if lone and scan.values == 1 else f"{name}:{index + 1}"
    if index in scan.packages:
        extensions = scan.packages[index]
        if prefix == "records.item":
            return releases_of_record(obj, f"{where}: records/{number}", extensions)
        return iter([Item(f"{where}: releases/{number}", obj, extensions)])
    if index in scan.arrays:
        return releases_of_object(obj, f"{where}: {number}")
    return releases_of_object(obj, where)


def read_items(path: Path, scan: FileScan | None = None) -> Iterator[Item]:
    """Every release of the file, built one at a time from a stream of events."""
    scan = scan or scan_file(path)
    numbers: dict[int, int] = {}
    with open_binary(path) as handle:
        for index, prefix, obj in _objects(handle, scan):
            number = numbers.get(index, 0)
            numbers[index] = number + 1
            yield from _items_of(scan, path.name, index, prefix, obj, number)


# --- buyers -> entities --------------------------------------------------------------------------


class EntityResolver:
    """Find the cms.Entity of a process's buyer; create it only when asked to (--crear-entes)."""

    def __init__(self, *, create: bool):
        self.create = create
        self.cache: dict[tuple, Entity | None] = {}
        self.pending: list[tuple] = []  # keys of entities created in the open transaction

    def resolve(self, releases: list[dict]) -> Entity | None:
        buyer, party = buyer_and_party(releases)
        if not buyer and not party:
            return None
        key = (buyer.get("id"), party.get("name"), (party.get("identifier") or {}).get("id"))
        if key not in self.cache:
            entity = find_entity(buyer, party)
            if entity is None and self.create:
                entity = create_entity(buyer, party)
                self.pending.append(key)
            self.cache[key] = entity
        return self.cache[key]

    def settle(self, *, committed: bool) -> None:
        """Forget entities whose creation was rolled back with their process."""
        if not committed:
            for key in self.pending:
                self.cache.pop(key, None)
        self.pending.clear()


def buyer_and_party(releases: list[dict]) -> tuple[dict, dict]:
    """The buyer reference and its party (from the latest release that names them)."""
    buyer, parties = {}, {}
    for release in releases:
        if isinstance(release.get("buyer"), dict):
            buyer = release["buyer"]
        for party in release.get("parties") or []:
            if isinstance(party, dict):
                parties[party.get("id")] = party
    return buyer, parties.get(buyer.get("id")) or {}


def _candidates(buyer: dict, party: dict) -> tuple[set[str], set[str]]:
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    ids = {str(value).strip() for value in (buyer.get("id"), identifier.get("id")) if value}
    names = {str(v).strip() for v in (buyer.get("name"), party.get("name")) if v}
    return ids, names


def find_entity(buyer: dict, party: dict) -> Entity | None:
    ids, names = _candidates(buyer, party)
    upper_ids = {value.upper() for value in ids}
    match = Entity.objects.filter(rfc__in=upper_ids).first() if upper_ids else None
    match = match or (Entity.objects.filter(key__in=ids).first() if ids else None)
    for name in names:
        match = match or Entity.objects.filter(name__iexact=name).first()
    return match


def _derived_key(buyer: dict, party: dict) -> str:
    ids, names = _candidates(buyer, party)
    source = next(iter(sorted(ids)), "") or next(iter(names), "ENTE")
    base = re.sub(r"[^A-Za-z0-9]", "", source)[:16] or "ENTE"
    key, suffix = base, 1
    while Entity.objects.filter(key=key).exists():
        suffix += 1
        key = f"{base}{suffix}"
    return key


def create_entity(buyer: dict, party: dict) -> Entity:
    """An entity made from the buyer party: name, key derived from its id, federal level."""
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    rfc = str(identifier.get("id") or "").upper()
    name = str(party.get("name") or buyer.get("name") or buyer.get("id"))[:255]
    return Entity.objects.create(
        name=name,
        key=_derived_key(buyer, party),
        level=Entity.Level.FEDERAL,
        rfc=rfc if re.match(RFC_PATTERN, rfc) else "",
    )


# --- storing -----------------------------------------------------------------------------------


def _ocid_of(item: Item) -> object:
    return item.release.get("ocid") if isinstance(item.release, dict) else None


def import_items(
    *,
    items: Iterator[Item],
    resolver: EntityResolver,
    summary: ImportSummary,
    progress: Callable[[int], None] = lambda count: None,
    options: ImportOptions = ImportOptions(),
) -> ImportSummary:
    """Store the items process by process (consecutive items with the same ocid)."""
    for ocid, group in groupby(items, key=_ocid_of):
        group = list(group)
        import_process(ocid=ocid, items=group, resolver=resolver, summary=summary, options=options)
        progress(len(group))
    return summary


def import_process(
    *,
    ocid,
    items: list[Item],
    resolver: EntityResolver,
    summary: ImportSummary,
    options: ImportOptions = ImportOptions(),
):
    """Store the new releases of one process atomically, or report why not."""
    if not isinstance(ocid, str) or not ocid:
        for item in items:
            summary.invalid += 1
            summary.add_error(item.location, _("La entrega no es un objeto con ocid."))
        return
    if not _ocid_accepted(ocid, items, summary, options):
        return
    new = _new_items(ocid, items, summary)
    if not new or _mixes_compiled(ocid, new, summary):
        return
    releases = [item.release for item in new]
    extensions = ordered_union(*(item.extensions for item in new))
    _report_unknown_extensions(extensions, new[0].location, summary)
    # An entity created for the buyer (--crear-entes) shares the process's fate: if the process
    # is invalid, the entity is rolled back with it.
    try:
        with transaction.atomic():
            entity = _entity_for(ocid, releases, resolver)
            if entity is None:
                summary.without_entity += len(new)
                summary.add_error(new[0].location, _unknown_buyer_message(ocid, releases))
                return
            unit = _unit_for(entity, releases, resolver.create, new[0].location, summary)
            publish_releases(
                releases=releases,
                entity=entity,
                unit=unit,
                rules=IMPORT_RULES,
                extensions=extensions,
            )
    except ReleaseInvalid as rejected:
        resolver.settle(committed=False)
        _report_invalid(rejected, new, summary)
        return
    resolver.settle(committed=True)
    summary.imported += len(new)
    _capture_rule_warnings(ocid, new, summary)


def _report_unknown_extensions(extensions, location: str, summary: ImportSummary) -> None:
    """An extension found neither bundled nor in OCDS_EXTENSIONS_DIR: its fields are kept and
    its URL still declared, but they are not validated nor merged by its rules; say so once."""
    for url in declared_release_schema(extensions).unknown:
        if url not in summary.unknown_extensions:
            summary.unknown_extensions.add(url)
            summary.add_warning(
                location,
                _(
                    "La extensión %(url)s no está en la carpeta de extensiones "
                    "(OCDS_EXTENSIONS_DIR) ni entre las incluidas: sus campos se guardan y se "
                    "sirven declarados, pero no se validan ni se compilan con sus reglas."
                )
                % {"url": url},
            )


def _ocid_accepted(ocid: str, items: list[Item], summary, options: ImportOptions) -> bool:
    """Our own prefix is never imported (it would change a process of this installation);
    a prefix of another form only when allowed, and then reported."""
    if ocid.startswith(f"{settings.OCID_PREFIX}-"):
        message = _(
            "El ocid %(ocid)s usa el prefijo de esta instalación (%(prefix)s); una importación "
            "nunca agrega entregas a los procesos propios: se rechazó."
        ) % {"ocid": ocid, "prefix": settings.OCID_PREFIX}
    elif not REGISTERED_PREFIX.match(ocid):
        message = _(
            "El ocid %(ocid)s no empieza con un prefijo registrado (ocds- y seis letras "
            "minúsculas o dígitos)"
        ) % {"ocid": ocid}
        if options.any_prefix:
            summary.add_warning(items[0].location, message + _("; se importó porque se pidió."))
            return True
        message += _("; se rechazó (use --cualquier-prefijo para aceptarlo).")
    else:
        return True
    summary.refused_ocid += len(items)
    summary.add_error(items[0].location, message)
    return False


def _new_items(ocid: str, items: list[Item], summary: ImportSummary) -> list[Item]:
    """The items not stored yet. One already stored with the same content is a repeat; with
    different content it is a conflict (reported, never stored: a release is immutable)."""
    stored = dict(Release.objects.filter(ocid=ocid).values_list("release_id", "data"))
    new = []
    for item in items:
        release_id = item.release.get("id")
        if release_id not in stored:
            new.append(item)
        elif orjson.loads(stored[release_id]) == item.release:
            summary.duplicates += 1
        else:
            summary.conflicts += 1
            summary.add_error(
                item.location,
                _(
                    "La entrega %(id)s del proceso %(ocid)s ya está guardada con otro contenido; "
                    "no se reemplaza (conflicto)."
                )
                % {"id": release_id, "ocid": ocid},
            )
    return new


def _is_compiled(release) -> bool:
    tags = release.get("tag") if isinstance(release, dict) else None
    return isinstance(tags, list) and "compiled" in tags


def _mixes_compiled(ocid: str, items: list[Item], summary: ImportSummary) -> bool:
    """A process known only by its compiled release is stored as such and never mixed into a
    release series (a compiled release is not a release of its history): refuse, with the
    reason, releases for a compiled-only process and a compiled release for one with releases."""
    stored = Release.objects.filter(ocid=ocid).values_list("tags", flat=True)
    kinds = {_is_compiled({"tag": tags}) for tags in stored}
    kinds |= {_is_compiled(item.release) for item in items}
    if len(kinds) < 2:
        return False
    summary.invalid += len(items)
    summary.add_error(
        items[0].location,
        _(
            "El proceso %(ocid)s mezclaría una entrega compilada (sin su historia) con entregas "
            "de esa historia; se rechazó: importe el registro con sus entregas o sólo la "
            "compilada."
        )
        % {"ocid": ocid},
    )
    return True


def _capture_rule_warnings(ocid: str, items: list[Item], summary) -> None:
    """Our capture rules, as warnings on imported data (they refuse only our own releases).

    Read from the stored compiled release, as indicator MX-LAASSP reads them when the process
    is evaluated (docs/indicadores.md): the warning and the OIC's finding say the same."""
    sections = ("awards", "contracts")
    if not any(isinstance(item.release.get(key), list) for item in items for key in sections):
        return
    compiled = Record.objects.filter(ocid=ocid).values_list("compiled_release", flat=True).first()
    if compiled is None:
        return
    locations = {item.release.get("id"): item.location for item in items}
    breaches = capture_rule_breaches(orjson.loads(compiled), [item.release for item in items])
    for breach in breaches:
        location = locations.get(breach.release_id, items[0].location)
        summary.add_warning(location, f"{breach.path}: {breach.message}")


def procuring_entity(releases: list[dict]) -> tuple[dict, dict]:
    """``tender.procuringEntity`` (the latest release that names it) and its party."""
    reference, parties = {}, {}
    for release in releases:
        tender = release.get("tender")
        if isinstance(tender, dict) and isinstance(tender.get("procuringEntity"), dict):
            reference = tender["procuringEntity"]
        for party in release.get("parties") or []:
            if isinstance(party, dict):
                parties[party.get("id")] = party
    return reference, parties.get(reference.get("id")) or {}


UNIT_KEY = re.compile(r"^[A-Z0-9]{6,20}$")


def _unit_for(entity: Entity, releases, create: bool, location: str, summary):
    """The purchasing unit of ``tender.procuringEntity`` among the entity's units (by key, by
    its identifier or by name); created with --crear-entes, reported otherwise. Unit-level
    indicators and filters then see imported processes too."""
    reference, party = procuring_entity(releases)
    if not reference:
        return None
    identifier = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    keys = {
        re.sub(r"[^A-Z0-9]", "", str(value).upper())[:20]
        for value in (reference.get("id"), identifier.get("id"))
        if value
    }
    name = str(reference.get("name") or party.get("name") or "").strip()
    units = PurchasingUnit.objects.filter(entity=entity)
    unit = units.filter(key__in=keys).first() if keys else None
    unit = unit or (units.filter(name__iexact=name).first() if name else None)
    if unit is not None:
        return unit
    if create and name:
        return PurchasingUnit.objects.create(entity=entity, key=_unit_key(keys, name), name=name)
    summary.add_warning(
        location,
        _(
            "La unidad compradora '%(unit)s' (tender.procuringEntity) no es una unidad de "
            "%(entity)s; el proceso quedó sin unidad (use --crear-entes para darla de alta)."
        )
        % {"unit": name or reference.get("id"), "entity": entity.name},
    )
    return None


def _unit_key(keys: set[str], name: str) -> str:
    """A free unit key: the procuring entity's id when it has the form of one, else derived."""
    for key in sorted(keys):
        if UNIT_KEY.match(key) and not PurchasingUnit.objects.filter(key=key).exists():
            return key
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest().upper()
    key, suffix = f"IMP{digest[:10]}", 1
    while PurchasingUnit.objects.filter(key=key).exists():
        suffix += 1
        key = f"IMP{digest[:10]}{suffix}"
    return key


def _entity_for(ocid: str, releases: list[dict], resolver: EntityResolver) -> Entity | None:
    record = Record.objects.filter(ocid=ocid).select_related("entity").first()
    return record.entity if record else resolver.resolve(releases)


def _unknown_buyer_message(ocid: str, releases: list[dict]) -> str:
    buyer, party = buyer_and_party(releases)
    name = party.get("name") or buyer.get("name") or buyer.get("id") or "?"
    return _(
        "El comprador '%(buyer)s' del proceso %(ocid)s no corresponde a ningún ente público; "
        "se omitió el proceso (use --crear-entes para darlo de alta)."
    ) % {"buyer": name, "ocid": ocid}


def _report_invalid(rejected: ReleaseInvalid, items: list[Item], summary: ImportSummary) -> None:
    summary.invalid += len(items)
    locations = {item.release.get("id"): item.location for item in items}
    where = locations.get(rejected.release_id, items[0].location)
    for issue in rejected.issues[:MAX_ISSUES_PER_PROCESS]:
        summary.add_error(where, f"{issue.path}: {issue.message}")
    hidden = len(rejected.issues) - MAX_ISSUES_PER_PROCESS
    if hidden > 0:
        summary.add_error(
            where, _("… y %(count)s errores más en este proceso.") % {"count": hidden}
        )
