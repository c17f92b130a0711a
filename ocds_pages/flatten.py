"""Flat tables of compiled releases for the bulk CSV and XLSX files, with Spanish headers.

Seven tables, each keyed by ``ocid`` (and the id of its parent), as Spoonbill and Flatterer do
for OCDS: procesos, partidas, adjudicaciones, proveedores, contratos, modificaciones, pagos.
Headers are Spanish with the OCDS path in parentheses, so a reader can go back to the standard.
"""

from collections.abc import Callable, Iterator

Row = list
Extractor = Callable[[dict], object]


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _get(data: dict, path: str):
    """``"tender/value/amount"`` → the value, or None; lists and objects are not cells."""
    value = data
    for key in path.split("/"):
        value = _dict(value).get(key)
    return value if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def _columns(*pairs: tuple[str, str]) -> list[tuple[str, Extractor]]:
    return [
        (f"{header} ({path})", lambda data, path=path: _get(data, path)) for header, path in pairs
    ]


PROCESS_COLUMNS = _columns(
    ("Fecha de la última entrega", "date"),
    ("Id del comprador", "buyer/id"),
    ("Comprador", "buyer/name"),
    ("Id de la licitación", "tender/id"),
    ("Título", "tender/title"),
    ("Descripción", "tender/description"),
    ("Estado de la licitación", "tender/status"),
    ("Método de contratación", "tender/procurementMethod"),
    ("Detalle del método", "tender/procurementMethodDetails"),
    ("Categoría principal", "tender/mainProcurementCategory"),
    ("Monto de la licitación", "tender/value/amount"),
    ("Moneda", "tender/value/currency"),
    ("Inicio del periodo de licitación", "tender/tenderPeriod/startDate"),
    ("Fin del periodo de licitación", "tender/tenderPeriod/endDate"),
    ("Número de licitantes", "tender/numberOfTenderers"),
)
ITEM_COLUMNS = _columns(
    ("Id de la partida", "id"),
    ("Descripción", "description"),
    ("Esquema de clasificación", "classification/scheme"),
    ("Clave de clasificación", "classification/id"),
    ("Descripción de la clasificación", "classification/description"),
    ("Cantidad", "quantity"),
    ("Unidad", "unit/name"),
    ("Precio unitario", "unit/value/amount"),
    ("Moneda del precio", "unit/value/currency"),
)
AWARD_COLUMNS = _columns(
    ("Id de la adjudicación", "id"),
    ("Título", "title"),
    ("Estado", "status"),
    ("Fecha", "date"),
    ("Monto", "value/amount"),
    ("Moneda", "value/currency"),
)
SUPPLIER_COLUMNS = _columns(("Id del proveedor", "id"), ("Nombre", "name"))
CONTRACT_COLUMNS = _columns(
    ("Id del contrato", "id"),
    ("Id de la adjudicación", "awardID"),
    ("Título", "title"),
    ("Estado", "status"),
    ("Fecha de firma", "dateSigned"),
    ("Monto", "value/amount"),
    ("Moneda", "value/currency"),
    ("Inicio de vigencia", "period/startDate"),
    ("Fin de vigencia", "period/endDate"),
)
AMENDMENT_COLUMNS = _columns(
    ("Id de la modificación", "id"),
    ("Fecha", "date"),
    ("Justificación", "rationale"),
    ("Descripción", "description"),
)
# In our own publications a payment's id is the folio fiscal of its CFDI (docs/ocds.md, «Pagos»);
# payer and payee ids join the parties (proveedores) table.
PAYMENT_COLUMNS = _columns(
    ("Id de la transacción (folio fiscal del CFDI)", "id"),
    ("Fecha", "date"),
    ("Monto", "value/amount"),
    ("Moneda", "value/currency"),
    ("Pagador", "payer/name"),
    ("Beneficiario", "payee/name"),
    ("Id del pagador", "payer/id"),
    ("Id del beneficiario", "payee/id"),
)

OCID = "ocid"
PARENT_SECTION = "Sección (licitación, adjudicación o contrato)"
PARENT_ID = "Id de la adjudicación o del contrato"

# table name -> (leading headers, columns)
TABLES: dict[str, tuple[list[str], list[tuple[str, Extractor]]]] = {
    "procesos": ([OCID], PROCESS_COLUMNS),
    "partidas": ([OCID, PARENT_SECTION, PARENT_ID], ITEM_COLUMNS),
    "adjudicaciones": ([OCID], AWARD_COLUMNS),
    "proveedores": (
        [OCID, "Id de la adjudicación", "RFC (parties/identifier/id)"],
        SUPPLIER_COLUMNS,
    ),
    "contratos": ([OCID], CONTRACT_COLUMNS),
    "modificaciones": ([OCID, "Id del contrato"], AMENDMENT_COLUMNS),
    "pagos": ([OCID, "Id del contrato"], PAYMENT_COLUMNS),
}


def headers(table: str) -> list[str]:
    leading, columns = TABLES[table]
    return [*leading, *(header for header, _extract in columns)]


def _cells(data: dict, table: str) -> list:
    return [extract(data) for _header, extract in TABLES[table][1]]


def _items(compiled: dict, ocid: str) -> Iterator[Row]:
    for item in _list(_dict(compiled.get("tender")).get("items")):
        yield [ocid, "licitación", None, *_cells(item, "partidas")]
    for section, key in (("adjudicación", "awards"), ("contrato", "contracts")):
        for parent in _list(compiled.get(key)):
            for item in _list(parent.get("items")):
                yield [ocid, section, parent.get("id"), *_cells(item, "partidas")]


def _suppliers(compiled: dict, ocid: str) -> Iterator[Row]:
    parties = {party.get("id"): party for party in _list(compiled.get("parties"))}
    for award in _list(compiled.get("awards")):
        for supplier in _list(award.get("suppliers")):
            identifier = _dict(parties.get(supplier.get("id"))).get("identifier")
            rfc = _dict(identifier).get("id")
            yield [ocid, award.get("id"), rfc, *_cells(supplier, "proveedores")]


def _contract_children(compiled: dict, ocid: str, table: str) -> Iterator[Row]:
    for contract in _list(compiled.get("contracts")):
        children = (
            contract.get("amendments")
            if table == "modificaciones"
            else _dict(contract.get("implementation")).get("transactions")
        )
        for child in _list(children):
            yield [ocid, contract.get("id"), *_cells(child, table)]


def table_rows(compiled: dict) -> Iterator[tuple[str, Row]]:
    """(table, row) for every row a compiled release contributes."""
    ocid = compiled.get("ocid")
    yield "procesos", [ocid, *_cells(compiled, "procesos")]
    for row in _items(compiled, ocid):
        yield "partidas", row
    for award in _list(compiled.get("awards")):
        yield "adjudicaciones", [ocid, *_cells(award, "adjudicaciones")]
    for row in _suppliers(compiled, ocid):
        yield "proveedores", row
    for contract in _list(compiled.get("contracts")):
        yield "contratos", [ocid, *_cells(contract, "contratos")]
    for table in ("modificaciones", "pagos"):
        for row in _contract_children(compiled, ocid, table):
            yield table, row
