"""The full flattening of compiled releases: one table per OCDS array, every field of the schema.

Besides the seven curated tables of ``ocds_pages.flatten``, the bulk files offer every field the
release schema defines (OCDS 1.1.5, the EDCA-MX extensions, our own and the form fields): a main
table with one row per process and one table per array of objects (``tender/items``,
``contracts/implementation/transactions``, ``bids/details``…), each row keyed by ``ocid``, the
release ``id`` and the ``id`` of every enclosing array element.

It follows the conventions of OCP's flattening library, flatten-tool, so its users recognise the
tables: column headings are JSON paths with ``/0/`` for each array level
(``contracts/0/implementation/transactions/0/value/amount``), table names join the first three
letters of each parent with the array's name (``con_imp_transactions``), lists of codes or texts go
in one cell joined by ``;``. flatten-tool itself reads the whole input and writes spreadsheets in
memory; here the rows of each compiled release are written as they are produced (constant memory),
and each column also carries its Spanish title (OCP's official translation of the schema titles,
``ocds_pages/data/schema-es/``) and, next to every codelist column, the Spanish label of its code
(tests/ocds_pages/test_flatten_full.py compares the columns with flatten-tool's).
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import orjson
from django.utils import timezone

from ocds_pages.codelists import SPANISH_DIR, spanish_titles
from ocds_pages.declared_extensions import declared_release_schema, ordered_union
from ocds_pages.extension import release_schema
from ocds_pages.packages import declared_by
from ocds_pages.schema import DATA_DIR, PROJECT_EXTENSION, extension_dir, extension_urls
from ocds_pages.validation import parse_datetime

MAIN_SHEET = "main"
SHEET_NAME_MAX = 31  # what a spreadsheet allows
TRUNCATION = 3  # flatten-tool's truncation_length
LABEL_SUFFIX = " (etiqueta)"


@cache
def spanish_schema_titles() -> dict[str, str]:
    """English schema title → OCP's official Spanish title (ocds_pages/data/schema-es/): the
    core's, then those of the bundled extensions OCP translated (``extensions/*.csv``)."""
    folder = DATA_DIR / "schema-es"
    titles: dict[str, str] = {}
    for path in [*sorted((folder / "extensions").glob("*.csv")), folder / "titles.csv"]:
        with path.open(encoding="utf-8", newline="") as handle:
            titles |= {row["Title"]: row["Titulo"] for row in csv.DictReader(handle)}
    return titles


def spanish(title: str | None, name: str) -> str:
    """The Spanish title of a field: the official translation, else its own title (our extension
    and the EDCA-MX ones have Spanish titles already), else its name."""
    if not title:
        return name
    return spanish_schema_titles().get(title, title)


def _titles_in(path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["Code"]: row["Title"].strip() for row in csv.DictReader(handle)}


@cache
def code_labels(name: str) -> dict[str, str]:
    """Code → Spanish label of codelist ``name``: OCP's translation (core and the Guarantees
    extension), or our own extension's codelists, written in Spanish; {} otherwise (currency,
    untranslated EDCA-MX lists: no label column rather than an English one)."""
    titles = spanish_titles(name)
    for path in sorted((SPANISH_DIR / "extensions").glob(f"*/{name}.csv")):
        titles = titles or _titles_in(path)
    own = extension_dir(PROJECT_EXTENSION) / "codelists" / f"{name}.csv"
    return titles or (_titles_in(own) if own.exists() else {})


@dataclass(frozen=True)
class Column:
    """One field of a table: where it is inside the table's object and how to show it."""

    heading: str  # flatten-tool's heading, e.g. "tender/items/0/unit/value/amount"
    keys: tuple[str, ...]  # the path inside the table's object: ("unit", "value", "amount")
    title: str  # Spanish, e.g. "Unidad: Valor: Monto"
    kind: str  # text, number, integer, boolean, datetime, list or json
    codelist: str | None = None  # codelist name when the field's codes have Spanish labels


@dataclass
class Table:
    """A table: the main one (the compiled release) or the one of an array of objects."""

    name: str
    path: str  # the array's path without indices, e.g. "contracts/implementation/transactions"
    title: str
    keys: tuple[str, ...] = ()  # from the parent table's object to the array
    heading_prefix: str = ""  # e.g. "contracts/0/implementation/transactions/0/"
    parent_ids: tuple[str, ...] = ()  # headings of the key columns it inherits
    parent_titles: tuple[str, ...] = ()  # and their Spanish titles
    columns: list[Column] = field(default_factory=list)
    children: list["Table"] = field(default_factory=list)

    @property
    def passed_keys(self) -> tuple[tuple[str, ...], ...]:
        """The fields of this table's object its children inherit as key columns: ``ocid`` and
        the release ``id`` from the main table, the element's ``id`` from an array table."""
        wanted = (("ocid",), ("id",)) if not self.path else (("id",),)
        present = {column.keys for column in self.columns}
        return tuple(keys for keys in wanted if keys in present)

    def passed_headings(self) -> tuple[str, ...]:
        return tuple(self.heading_prefix + "/".join(keys) for keys in self.passed_keys)

    def passed_titles(self) -> tuple[str, ...]:
        """The titles of :meth:`passed_headings`: «<this table>: ID» for an array's element."""
        if not self.path:
            return tuple(KEY_TITLES["/".join(keys)] for keys in self.passed_keys)
        return tuple(f"{self.title}: ID" for _keys in self.passed_keys)

    def headings(self) -> list[str]:
        """Column names (stable): the inherited keys, then each field (and its label)."""
        names = list(self.parent_ids)
        for column in self.columns:
            names.append(column.heading)
            if column.codelist:
                names.append(column.heading + LABEL_SUFFIX)
        return names

    def kinds(self) -> list[str]:
        """The kind of each column (text, datetime, number…), in the order of ``headings``."""
        kinds = ["text"] * len(self.parent_ids)
        for column in self.columns:
            kinds.append(column.kind)
            if column.codelist:
                kinds.append("text")
        return kinds

    def titles(self) -> list[str]:
        """The Spanish title of each column, in the order of ``headings``."""
        titles = list(self.parent_titles)
        for column in self.columns:
            titles.append(column.title)
            if column.codelist:
                titles.append(column.title + LABEL_SUFFIX)
        return titles


KEY_TITLES = {"ocid": "Open Contracting ID", "id": "ID de Entrega"}
TEXT = Column(heading="", keys=(), title="", kind="text")


# --- the tables of a schema ----------------------------------------------------------------------


def _resolve(node: dict, definitions: dict) -> dict:
    """A property's schema with its ``$ref`` followed; its own title wins over the definition's."""
    ref = node.get("$ref", "")
    if not ref.startswith("#/definitions/"):
        return node
    target = definitions.get(ref.removeprefix("#/definitions/"), {})
    return {**target, **{key: value for key, value in node.items() if key != "$ref"}}


def _types(node: dict) -> set[str]:
    declared = node.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def _leaf_kind(node: dict, definitions: dict) -> str:
    types = _types(node) - {"null"}
    if types == {"string"}:
        return "datetime" if node.get("format") == "date-time" else "text"
    if types in ({"number"}, {"integer"}, {"boolean"}):
        return types.pop()
    if types == {"array"}:
        items = _resolve(node.get("items", {}), definitions)
        if _types(items) - {"null"} <= {"string", "number", "integer"}:
            return "list"
    return "json" if types - {"string"} else "text"


def _codelist_of(node: dict, definitions: dict) -> str | None:
    name = node.get("codelist") or _resolve(node.get("items", {}), definitions).get("codelist")
    if not name:
        return None
    name = name.removesuffix(".csv")
    return name if code_labels(name) else None


def _is_object(node: dict) -> bool:
    """An object with declared fields (an extension may leave out its ``type``, as EDCA-MX's
    BudgetBreakdown does)."""
    types = _types(node)
    return bool(node.get("properties")) and (not types or "object" in types)


def sheet_name(parent_path: str, property_name: str) -> str:
    """flatten-tool's sub-sheet name: first three letters of each parent, then the name."""
    parts = [part[:TRUNCATION] for part in parent_path.split("/") if part]
    return ("_".join(parts) + ("_" if parts else "") + property_name).replace(":", "-")


def _walk(node, table: Table, keys, titles, definitions, names: set[str], depth=0) -> None:
    """Add the fields of object schema ``node`` (found at ``keys`` inside ``table``'s object)."""
    if depth > 12:  # OCDS has no recursive structure; a broken extension must not loop
        return
    for name, child in (node.get("properties") or {}).items():
        child = _resolve(child, definitions)
        child_keys, child_titles = (*keys, name), (*titles, spanish(child.get("title"), name))
        types = _types(child)
        items = _resolve(child.get("items", {}), definitions) if "array" in types else {}
        if _is_object(child):
            _walk(child, table, child_keys, child_titles, definitions, names, depth + 1)
        elif "array" in types and _is_object(items):
            table.children.append(
                _array_table(table, child_keys, child_titles, items, definitions, names, depth)
            )
        else:
            table.columns.append(
                Column(
                    heading=table.heading_prefix + "/".join(child_keys),
                    keys=child_keys,
                    title=": ".join(child_titles),
                    kind=_leaf_kind(child, definitions),
                    codelist=_codelist_of(child, definitions),
                )
            )


def _array_table(parent: Table, keys, titles, items, definitions, names, depth) -> Table:
    parent_path = "/".join(part for part in (parent.path, *keys[:-1]) if part)
    name = sheet_name(parent_path, keys[-1])[:SHEET_NAME_MAX]
    unique, number = name, 1
    while unique in names:
        number += 1
        unique = f"{name[: SHEET_NAME_MAX - len(str(number))]}{number}"
    names.add(unique)
    inherited = parent.parent_ids + parent.passed_headings()
    inherited_titles = parent.parent_titles + parent.passed_titles()
    table = Table(
        name=unique,
        path="/".join(part for part in (parent.path, *keys) if part),
        title=": ".join((parent.title, *titles) if parent.path else titles),
        keys=tuple(keys),
        heading_prefix=parent.heading_prefix + "/".join(keys) + "/0/",
        parent_ids=inherited,
        parent_titles=inherited_titles,
    )
    _walk(items, table, (), (), definitions, names, depth + 1)
    return table


def tables_of(schema: dict) -> Table:
    """The main table of the release schema ``schema``, its array tables as children (each
    child's key columns are known once its parent's columns are: parents are walked first)."""
    definitions = schema.get("definitions", {})
    main = Table(name=MAIN_SHEET, path="", title="Entrega compilada")
    _walk(schema, main, (), (), definitions, {MAIN_SHEET})
    return main


def tables_for(queryset) -> Table:
    """The full tables of the compiled releases of ``queryset`` (``Record`` rows): every field of
    the schema they are published with — ours, plus the extensions an imported publication
    declared (resolved offline, ``ocds_pages.declared_extensions``) — and every field a record
    carries that no resolvable schema declares (an unknown extension's, kept verbatim by the
    import). Those are found by reading the imported records once before the rows are written
    (ours are validated against the declared schema: only imported records can carry them)."""
    imported = queryset.filter(extensions__isnull=False)
    if not imported.exists():
        return tables_of(release_schema().data)
    urls = ordered_union(extension_urls(), declared_by(queryset))
    main = tables_of(declared_release_schema(urls).schema.data)
    names = {table.name for table in all_tables(main)}
    for text in imported.order_by("pk").values_list("compiled_release", flat=True).iterator():
        add_undeclared(main, orjson.loads(text), names)
    return main


def add_undeclared(main: Table, compiled: dict, names: set[str]) -> None:
    """Add to the tables a column (or an array table) for each field of ``compiled`` that none
    has, titled with its own name (no schema gives it a title), its kind read from its value."""
    _extend(main, compiled, (), names)


def _value_kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "integer" if isinstance(value, int) else "number"
    if isinstance(value, str):
        return "datetime" if parse_datetime(value) else "text"
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return "list"
    return "json"


def _extend(table: Table, data: dict, keys: tuple[str, ...], names: set[str]) -> None:
    known = {column.keys for column in table.columns}
    children = {child.keys: child for child in table.children}
    for name, value in data.items():
        child_keys = (*keys, name)
        if child_keys in known or value is None:
            continue
        if child_keys in children or (value and isinstance(value, list) and _objects(value)):
            child = children.get(child_keys)
            if child is None:
                child = _array_table(table, child_keys, child_keys, {}, {}, names, 0)
                children[child_keys] = child
                table.children.append(child)
            for element in _objects(value):
                _extend(child, element, (), names)
        elif isinstance(value, dict) and value:
            _extend(table, value, child_keys, names)
        else:
            table.columns.append(
                Column(
                    heading=table.heading_prefix + "/".join(child_keys),
                    keys=child_keys,
                    title=": ".join(child_keys),
                    kind=_value_kind(value),
                )
            )
            known.add(child_keys)


def all_tables(main: Table) -> list[Table]:
    """Every table, parents before their children (the order of the sheets)."""
    found, pending = [], [main]
    while pending:
        table = pending.pop(0)
        found.append(table)
        pending[0:0] = table.children
    return found


# --- rows ----------------------------------------------------------------------------------------


def _get(data, keys: tuple[str, ...]):
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _datetime(value) -> datetime | object:
    """An OCDS date-time as a spreadsheet date: local time of the installation (TIME_ZONE),
    without offset (spreadsheets have none). Anything else is left as it came."""
    if not isinstance(value, str):
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        return parsed
    return timezone.localtime(parsed).replace(tzinfo=None)


def spreadsheet_value(value, kind: str):
    """A cell for a spreadsheet: date-times become dates (CSV keeps the OCDS text)."""
    return _datetime(value) if kind == "datetime" else value


def _cell(value, column: Column):
    if value is None:
        return None
    scalars = isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)
    if scalars and column.kind in ("list", "text"):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return value


def _label(value, name: str):
    labels = code_labels(name)
    if isinstance(value, list):
        return ";".join(labels.get(str(code), str(code)) for code in value)
    return None if value is None else labels.get(str(value), str(value))


def _row(table: Table, data: dict, inherited: list) -> list:
    row = list(inherited)
    for column in table.columns:
        value = _get(data, column.keys)
        row.append(_cell(value, column))
        if column.codelist:
            row.append(_label(value, column.codelist))
    return row


def _objects(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _rows(table: Table, data: dict, inherited: list) -> Iterator[tuple[Table, list]]:
    yield table, _row(table, data, inherited)
    keys = inherited + [_cell(_get(data, keys), TEXT) for keys in table.passed_keys]
    for child in table.children:
        for element in _objects(_get(data, child.keys)):
            yield from _rows(child, element, keys)


def release_rows(main: Table, compiled: dict) -> Iterator[tuple[Table, list]]:
    """(table, row) for every row a compiled release gives, parents before their children."""
    return _rows(main, compiled, [])
