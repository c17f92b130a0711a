"""The full flattening (issue 22, item 13): every field of the schema, one table per array, with
flatten-tool's column names, Spanish titles and Spanish labels of codes."""

import warnings

import jsonref
import pytest
from flattentool.schema import SchemaParser

from ocds_pages.extension import bundled_release_schema
from ocds_pages.flatten_full import (
    LABEL_SUFFIX,
    MAIN_SHEET,
    all_tables,
    release_rows,
    tables_of,
)


@pytest.fixture(scope="module")
def main():
    return tables_of(bundled_release_schema().data)


def flatten_tool_headings(schema: dict) -> set[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about the objects without properties it skips
        parser = SchemaParser(root_schema_dict=jsonref.replace_refs(schema), root_id="ocid")
        parser.parse()
    sheets = [parser.main_sheet, *parser.sub_sheets.values()]
    return {heading for sheet in sheets for heading in sheet}


def test_every_column_of_flatten_tool_is_there_and_ours_only_add_what_it_skips(main):
    ours = {
        heading
        for table in all_tables(main)
        for heading in table.headings()
        if not heading.endswith(LABEL_SUFFIX)
    }

    theirs = flatten_tool_headings(bundled_release_schema().data)

    # An array of objects without "type" (EDCA-MX's budgetBreakdown) is one text column for
    # flatten-tool; here it is a table with its fields.
    assert {heading.rsplit("/", 1)[1] for heading in theirs - ours} == {"budgetBreakdown"}
    # flatten-tool drops objects without declared properties; we keep them as JSON text.
    added = {heading for heading in ours - theirs if "/budgetBreakdown/" not in heading}
    assert {heading.rsplit("/", 1)[1] for heading in added} == {"details", "former_value"}


def test_one_table_per_array_with_the_keys_of_its_parents(main):
    tables = {table.path: table for table in all_tables(main)}

    transactions = tables["contracts/implementation/transactions"]

    assert transactions.name == "con_imp_transactions"
    assert transactions.parent_ids == ("ocid", "id", "contracts/0/id")
    assert "contracts/0/implementation/transactions/0/payee/id" in transactions.headings()
    assert tables["tender/items"].parent_ids == ("ocid", "id")
    assert tables["awards/suppliers"].parent_ids == ("ocid", "id", "awards/0/id")
    extensions = {"bids/details", "contracts/guarantees", "planning/budgetBreakdown/budgetLines"}
    assert extensions <= set(tables)


def test_columns_carry_spanish_titles_and_codelists_a_label_column(main):
    headings, titles = main.headings(), main.titles()

    status = headings.index("tender/status")

    assert titles[status] == "Licitación: Estado de la licitación"
    assert headings[status + 1] == "tender/status (etiqueta)"
    assert titles[headings.index("tender/value/amount")] == "Licitación: Valor: Monto"
    assert "tender/value/currency (etiqueta)" not in headings  # no Spanish names of currencies


COMPILED = {
    "ocid": "ocds-zzzzzz-1",
    "id": "ocds-zzzzzz-1-compiled",
    "date": "2025-03-05T12:00:00-06:00",
    "tag": ["compiled"],
    "parties": [{"id": "P1", "name": "Uno", "roles": ["buyer", "payer"]}],
    "tender": {
        "id": "T",
        "status": "complete",
        "items": [{"id": "1", "quantity": 3}, {"id": "2"}],
        "tenderPeriod": {"startDate": "2025-02-03T10:00:00-06:00"},
    },
    "contracts": [
        {
            "id": "C1",
            "implementation": {
                "transactions": [
                    {"id": "UUID-1", "value": {"amount": 10, "currency": "MXN"}},
                    {"id": "UUID-2", "payee": {"id": "P2", "name": "Dos"}},
                ]
            },
        }
    ],
}


def test_a_compiled_release_gives_one_row_per_element_keyed_by_its_parents(main):
    rows = {}
    for table, row in release_rows(main, COMPILED):
        rows.setdefault(table.name, []).append(dict(zip(table.headings(), row, strict=True)))

    assert {name: len(found) for name, found in rows.items()} == {
        MAIN_SHEET: 1,
        "parties": 1,
        "ten_items": 2,
        "contracts": 1,
        "con_imp_transactions": 2,
    }
    [process] = rows[MAIN_SHEET]
    assert process["tender/status (etiqueta)"] == "Completo"
    assert process["tender/tenderPeriod/startDate"] == "2025-02-03T10:00:00-06:00"
    [party] = rows["parties"]
    assert party["parties/0/roles"] == "buyer;payer"
    assert party["parties/0/roles (etiqueta)"] == "Comprador;Pagador"
    second = rows["con_imp_transactions"][1]
    assert second["ocid"] == "ocds-zzzzzz-1" and second["contracts/0/id"] == "C1"
    assert second["contracts/0/implementation/transactions/0/id"] == "UUID-2"
    assert second["contracts/0/implementation/transactions/0/payee/name"] == "Dos"
    assert rows["ten_items"][0]["tender/items/0/quantity"] == 3
