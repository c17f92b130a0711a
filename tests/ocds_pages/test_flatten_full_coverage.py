"""Every field our releases carry is a column of the full tables (issue 22, item 13): the schema's,
the EDCA-MX extensions' and ours (CFDI, guarantees, bids…), those of the extensions an imported
publication declared, and those of an extension nobody could resolve."""

import io
import zipfile
from datetime import datetime

import orjson
import pytest
from django.core.cache import cache
from django.core.management import call_command
from openpyxl import load_workbook

from ocds_pages.flatten_full import LABEL_SUFFIX, all_tables, release_rows, tables_for
from ocds_pages.models import Record
from tests.ocds_pages.factories import make_entity
from tests.ocds_pages.test_import_extensions import (
    OCID,
    TRAMOS_URL,
    UNKNOWN_URL,
    registry,  # noqa: F401 (fixture)
    two_releases,
    write_package,
)

pytestmark = pytest.mark.django_db


def uncovered(main, compiled: dict) -> set[str]:
    """The field paths (without indices) of ``compiled`` that no column and no table holds. A
    column holds its whole value (an object kept as JSON, a list of codes)."""
    tables, columns = set(), set()
    for table in all_tables(main):
        tables.add(table.path)
        for column in table.columns:
            columns.add("/".join(part for part in (table.path, *column.keys) if part))
    found: set[str] = set()

    def walk(value: dict, prefix: str) -> None:
        for key, child in value.items():
            path = f"{prefix}/{key}" if prefix else key
            if path in columns:
                continue
            if isinstance(child, dict):
                walk(child, path)
            elif isinstance(child, list) and child and all(isinstance(i, dict) for i in child):
                if path not in tables:
                    found.add(path)
                for element in child:
                    walk(element, path)
            else:
                found.add(path)

    walk(compiled, "")
    return found


def compiled_releases() -> list[dict]:
    texts = Record.objects.values_list("compiled_release", flat=True)
    return [orjson.loads(text) for text in texts]


@pytest.fixture
def demo_and_generated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OCDS_BULK_DIR = tmp_path / "bulk"
    settings.OCDS_API_WATERMARK_SECONDS = 0
    cache.clear()
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("cargar_demo", **quiet)
    call_command("cargar_demo_procesos", **quiet)
    call_command("cargar_demo_seguimiento", **quiet)
    call_command(
        "generar_datos",
        entes=2,
        procesos=80,
        semilla=22,
        trabajadores=1,
        sin_progreso=True,
        **quiet,
    )
    yield settings.OCDS_BULK_DIR
    cache.clear()


def test_every_field_of_the_demo_and_generated_releases_is_a_titled_column(demo_and_generated):
    main = tables_for(Record.objects.all())
    releases = compiled_releases()

    assert len(releases) > 80
    assert {path for compiled in releases for path in uncovered(main, compiled)} == set()
    tables = {table.path: table for table in all_tables(main)}
    # Extension fields have their own tables and titles (Spanish where OCP translated them).
    titles = {
        heading: title
        for table in tables.values()
        for heading, title in zip(table.headings(), table.titles(), strict=True)
    }
    for heading in (
        "contracts/0/guarantees/0/type",  # EDCA-MX guarantees
        "contracts/0/implementation/transactions/0/id",  # the CFDI folio
        "bids/details/0/status",  # our extension's bid status
    ):
        assert titles[heading] and titles[heading] != heading, heading
    # OCP translated the Guarantees extension: its titles are Spanish; the rest keep their own.
    assert titles["contracts/0/guarantees/0/type"] == "Tipo de garantía"
    assert tables["contracts/guarantees"].title == "Contratos: Garantías"
    assert "bids/details" in tables and "planning/budgetBreakdown/budgetLines" in tables

    # The workbook built from them: dates as dates, headers frozen and filtered, labels beside
    # the codes, on every sheet.
    call_command("exportar_bulk", "--sin-progreso", stdout=io.StringIO(), stderr=io.StringIO())
    workbooks = sorted(demo_and_generated.glob("*/tablas-completas-*.xlsx"))
    assert workbooks
    for path in workbooks:
        workbook = load_workbook(path, read_only=False)
        for name in workbook.sheetnames[1:]:
            sheet = workbook[name]
            rows = list(sheet.iter_rows(values_only=True))
            headings = rows[1]
            assert sheet.freeze_panes == "A3"
            assert sheet.auto_filter.ref.startswith("A2:")
            kinds = {heading: tables_kind(main, name, heading) for heading in headings}
            for row in rows[2:]:
                for heading, value in zip(headings, row, strict=True):
                    if kinds[heading] == "datetime" and value is not None:
                        assert isinstance(value, datetime), (name, heading, value)
            for index, heading in enumerate(headings):
                if heading.endswith(LABEL_SUFFIX):
                    assert headings[index - 1] == heading.removesuffix(LABEL_SUFFIX)


def tables_kind(main, sheet: str, heading: str) -> str:
    table = next(table for table in all_tables(main) if table.name == sheet)
    return dict(zip(table.headings(), table.kinds(), strict=True))[heading]


def import_package(path, releases, extensions):
    out, err = io.StringIO(), io.StringIO()
    write_package(path, releases, extensions)
    call_command("importar_ocds", str(path), "--sin-progreso", stdout=out, stderr=err)
    assert "Importadas: 2" in out.getvalue(), err.getvalue()


def test_fields_of_declared_and_unknown_extensions_of_imported_data_are_columns(
    registry,  # noqa: F811 (fixture)
    tmp_path,
):
    entity = make_entity()
    releases = two_releases(entity)
    releases[1]["tender"]["nivelDeRiesgo"] = {"valor": 3, "fecha": "2025-02-10T10:00:00-06:00"}
    releases[1]["tender"]["lotes"] = [{"id": "L1", "clave": "X"}]
    import_package(tmp_path / "paquete.json", releases, [TRAMOS_URL, UNKNOWN_URL])

    main = tables_for(Record.objects.all())

    [compiled] = compiled_releases()
    assert uncovered(main, compiled) == set()
    tables = {table.path: table for table in all_tables(main)}
    tramos = tables["tender/tramos"]  # declared by the resolved extension, with its title
    assert tramos.headings()[:3] == ["ocid", "id", "tender/tramos/0/id"]
    assert tramos.title.endswith("Tramos")
    lotes = tables["tender/lotes"]  # from the unknown extension: found in the data
    assert lotes.parent_ids == ("ocid", "id")
    rows = {}
    for table, row in release_rows(main, compiled):
        rows.setdefault(table.name, []).append(dict(zip(table.headings(), row, strict=True)))
    [process] = rows["main"]
    assert process["ocid"] == OCID
    assert process["tender/nivelDeRiesgo/valor"] == 3
    assert [row["tender/tramos/0/estado"] for row in rows[tramos.name]] == ["cerrado"]
    assert rows[lotes.name] == [
        {"ocid": OCID, "id": compiled["id"], "tender/lotes/0/id": "L1", "tender/lotes/0/clave": "X"}
    ]
    kinds = dict(zip(main.headings(), main.kinds(), strict=True))
    assert kinds["tender/nivelDeRiesgo/fecha"] == "datetime"


def test_the_bulk_full_tables_carry_the_imported_extension_fields(
    registry,  # noqa: F811 (fixture)
    tmp_path,
    settings,
):
    settings.OCDS_BULK_DIR = tmp_path / "bulk"
    entity = make_entity()
    releases = two_releases(entity)
    releases[1]["tender"]["lotes"] = [{"id": "L1", "clave": "X"}]
    import_package(tmp_path / "paquete.json", releases, [TRAMOS_URL, UNKNOWN_URL])

    call_command("exportar_bulk", "--sin-progreso", stdout=io.StringIO(), stderr=io.StringIO())

    archive = zipfile.ZipFile(settings.OCDS_BULK_DIR / "2025" / "tablas-completas-2025-csv.zip")
    names = set(archive.namelist())
    assert {"ten_tramos.csv", "ten_lotes.csv"} <= names
    header = archive.read("ten_lotes.csv").decode("utf-8-sig").splitlines()[0]
    assert header == "ocid,id,tender/lotes/0/id,tender/lotes/0/clave"
