"""Bulk files: ``manage.py exportar_bulk`` and their listing at /api/ocds/bulk/."""

import csv
import gzip
import hashlib
import io
import zipfile
from datetime import datetime
from io import StringIO

import orjson
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from ocdskit.util import detect_format
from openpyxl import load_workbook

from ocds_pages.compile import compile_releases
from ocds_pages.models import Record, Release
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import make_contract_release, make_entity
from tests.ocds_pages.test_packages import offline_validator
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bulk_dir(settings, tmp_path):
    cache.clear()
    settings.OCDS_BULK_DIR = tmp_path / "bulk"
    yield settings.OCDS_BULK_DIR
    cache.clear()


@pytest.fixture
def imss():
    return make_entity()


def export(*args) -> str:
    out = StringIO()
    call_command("exportar_bulk", "--sin-progreso", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def listing(bulk_dir) -> dict:
    return orjson.loads((bulk_dir / "metadata.json").read_bytes())


def files_by_format(bulk_dir, year) -> dict[str, list[dict]]:
    grouped = {}
    for item in listing(bulk_dir)["files"]:
        if item["year"] == year:
            grouped.setdefault(item["format"], []).append(item)
    return grouped


def test_jsonl_of_compiled_releases_is_recognised_by_ocdskit(bulk_dir, imss, tmp_path):
    ocids = {publish_process(imss) for _ in range(3)}

    summary = export()

    jsonl = bulk_dir / "2025" / "compilados-2025.jsonl.gz"
    plain = tmp_path / "compilados.jsonl"
    plain.write_bytes(gzip.decompress(jsonl.read_bytes()))
    assert detect_format(str(plain)) == ("compiled release", True, False)
    lines = plain.read_bytes().splitlines()
    assert {orjson.loads(line)["ocid"] for line in lines} == ocids
    stored = set(Record.objects.values_list("compiled_release", flat=True))
    assert {line.decode() for line in lines} == stored  # the stored text, untouched
    assert "2025: 3 procesos, 6 entregas" in summary


def test_release_package_validates_and_metadata_is_exact(bulk_dir, imss):
    for _ in range(2):
        publish_process(imss)

    export()

    [item] = files_by_format(bulk_dir, 2025)["release-package.json.gz"]
    path = bulk_dir / item["name"]
    raw = gzip.decompress(path.read_bytes())
    package = orjson.loads(raw)
    assert list(offline_validator("release-package-schema.json").iter_errors(package)) == []
    assert item["count"] == len(package["releases"]) == 4
    assert item["uncompressed_size"] == len(raw)
    assert item["size"] == path.stat().st_size
    assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert item["part"] is None
    assert item["generated_at"]


def test_record_package_per_year_lets_a_consumer_rebuild_history_from_bulk_alone(bulk_dir, imss):
    ocids = {publish_process(imss) for _ in range(2)}

    export()

    [item] = files_by_format(bulk_dir, 2025)["record-package.json.gz"]
    package = orjson.loads(gzip.decompress((bulk_dir / item["name"]).read_bytes()))
    assert list(offline_validator("record-package-schema.json").iter_errors(package)) == []
    assert item["count"] == len(package["records"]) == 2
    for record in package["records"]:
        assert record["ocid"] in ocids
        stored = Record.objects.get(ocid=record["ocid"])
        assert record["versionedRelease"] == orjson.loads(stored.versioned_release)
        assert [release["id"] for release in record["releases"]] == list(
            Release.objects.filter(ocid=record["ocid"])
            .order_by("date", "pk")
            .values_list("release_id", flat=True)
        )
        # The history rebuilds from the bulk file alone: compiling its releases gives it back.
        assert compile_releases(record["releases"]).versioned == record["versionedRelease"]


def test_files_are_split_before_the_size_limit_and_each_part_is_complete(
    bulk_dir, imss, settings, tmp_path
):
    for _ in range(5):
        publish_process(imss)
    one_release = len(Record.objects.first().compiled_release)
    settings.OCDS_BULK_MAX_BYTES = one_release * 2 + 1000

    export()

    grouped = files_by_format(bulk_dir, 2025)
    jsonl_parts = grouped["jsonl.gz"]
    package_parts = grouped["release-package.json.gz"]
    assert len(jsonl_parts) > 1 and len(package_parts) > 1
    assert sum(item["count"] for item in jsonl_parts) == 5
    assert sum(item["count"] for item in package_parts) == 10
    for item in jsonl_parts + package_parts:
        assert item["uncompressed_size"] <= settings.OCDS_BULK_MAX_BYTES
        assert item["name"].split(".")[-3] == f"part{item['part']:03d}"
    for item in package_parts:
        package = orjson.loads(gzip.decompress((bulk_dir / item["name"]).read_bytes()))
        assert len(package["releases"]) == item["count"]


def test_csv_tables_have_spanish_headers_and_rows(bulk_dir, imss):
    ocid = publish_process(imss)
    release = make_contract_release(ocid=ocid, entity=imss, number=3)
    release["contracts"][0]["implementation"] = {
        "transactions": [
            {
                "id": "5FB2822E-396D-4725-8521-CDC4BDD20CCF",
                "date": "2025-04-01T10:00:00-06:00",
                "value": {"amount": 50000, "currency": "MXN"},
                "payer": {"id": release["buyer"]["id"], "name": release["buyer"]["name"]},
                "payee": {"id": "MX-RFC-MME920427EM3", "name": "Medicamentos Mexicanos"},
            }
        ]
    }
    publish_release(release=release, entity=imss)

    export()

    archive = zipfile.ZipFile(bulk_dir / "2025" / "tablas-2025-csv.zip")
    expected = {
        "procesos",
        "partidas",
        "adjudicaciones",
        "proveedores",
        "contratos",
        "modificaciones",
        "pagos",
    }
    assert {name.removesuffix(".csv") for name in archive.namelist()} == expected

    def table(name):
        text = archive.read(f"{name}.csv").decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    [process] = table("procesos")
    assert process["ocid"] == ocid
    assert process["Comprador (buyer/name)"] == "Instituto Mexicano del Seguro Social"
    assert process["Método de contratación (tender/procurementMethod)"] == "open"
    [payment] = table("pagos")
    assert payment["Monto (value/amount)"] == "50000"
    cfdi = payment["Id de la transacción (folio fiscal del CFDI) (id)"]
    assert cfdi == "5FB2822E-396D-4725-8521-CDC4BDD20CCF"
    assert payment["Id del beneficiario (payee/id)"] == "MX-RFC-MME920427EM3"
    assert payment["Id del pagador (payer/id)"] == release["buyer"]["id"]
    [supplier] = table("proveedores")
    assert supplier["RFC (parties/identifier/id)"] == "MME920427EM3"
    sections = sorted(
        row["Sección (licitación, adjudicación o contrato)"] for row in table("partidas")
    )
    assert sections == ["adjudicación", "contrato", "licitación"]
    assert table("modificaciones") == []


def test_xlsx_has_one_sheet_per_table(bulk_dir, imss):
    ocid = publish_process(imss)

    export()

    workbook = load_workbook(bulk_dir / "2025" / "tablas-2025.xlsx", read_only=True)
    assert workbook.sheetnames == [
        "procesos",
        "partidas",
        "adjudicaciones",
        "proveedores",
        "contratos",
        "modificaciones",
        "pagos",
    ]
    rows = list(workbook["procesos"].iter_rows(values_only=True))
    assert rows[0][0] == "ocid" and rows[0][3] == "Comprador (buyer/name)"
    assert rows[1][0] == ocid


def test_one_year_only_keeps_the_other_years_in_the_listing(bulk_dir, imss):
    publish_process(imss, year=2024)
    publish_process(imss)
    export()
    before = {item["name"]: item["sha256"] for item in listing(bulk_dir)["files"]}

    publish_process(imss)
    export("--anio", "2025")

    after = {item["name"]: item["sha256"] for item in listing(bulk_dir)["files"]}
    assert set(after) == set(before)
    assert all(after[name] == before[name] for name in after if name.startswith("2024/"))
    assert after["2025/compilados-2025.jsonl.gz"] != before["2025/compilados-2025.jsonl.gz"]


def test_a_year_without_data_is_a_command_error(imss):
    publish_process(imss)

    with pytest.raises(CommandError, match="No hay datos publicados del año 1999"):
        export("--anio", "1999")


def test_listing_and_download_with_last_modified(client, bulk_dir, imss):
    publish_process(imss)
    export()

    body = client.get("/api/ocds/bulk/").json()
    jsonl = next(item for item in body["files"] if item["format"] == "jsonl.gz")
    response = client.get(jsonl["url"].removeprefix("http://testserver"))

    assert jsonl["url"] == "http://testserver/api/ocds/bulk/2025/compilados-2025.jsonl.gz"
    assert response.status_code == 200
    assert response["Last-Modified"]
    assert response["Content-Type"] == "application/gzip"
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == jsonl["sha256"]


def test_a_file_not_modified_since_is_a_304(client, bulk_dir, imss):
    publish_process(imss)
    export()
    url = "/api/ocds/bulk/2025/compilados-2025.jsonl.gz"
    modified = client.get(url)["Last-Modified"]

    again = client.get(url, HTTP_IF_MODIFIED_SINCE=modified)

    assert again.status_code == 304
    assert again["Last-Modified"] == modified


def test_unlisted_paths_are_404(client, bulk_dir, imss):
    publish_process(imss)
    export()
    (bulk_dir / "secreto.txt").write_text("x")

    for name in ("secreto.txt", "../metadata.json", "2025/../metadata.json", "metadata.json"):
        response = client.get(f"/api/ocds/bulk/{name}")
        assert response.status_code == 404, name
        assert response.json()["code"] == "no_encontrado"


def test_empty_listing_before_any_export(client):
    assert client.get("/api/ocds/bulk/").json() == {"generated_at": None, "files": []}


def test_full_tables_workbook_has_every_table_typed_frozen_and_filtered(bulk_dir, imss):
    """Issue 22, item 13: the full flattening, as a journalist opens it in a spreadsheet."""
    ocid = publish_process(imss)

    export()

    assert {"full.csv.zip", "full.xlsx"} <= set(files_by_format(bulk_dir, 2025))
    workbook = load_workbook(bulk_dir / "2025" / "tablas-completas-2025.xlsx")
    assert workbook.sheetnames[:3] == ["diccionario", "main", "parties"]
    assert {"ten_items", "awards", "awa_suppliers", "awa_items"} <= set(workbook.sheetnames)
    main = workbook["main"]
    titles, headings, row = (list(r) for r in main.iter_rows(max_row=3, values_only=True))
    assert main.freeze_panes == "A3"
    assert main.auto_filter.ref == f"A2:{main.cell(2, len(headings)).column_letter}3"
    assert row[headings.index("ocid")] == ocid
    column = headings.index("tender/tenderPeriod/startDate")
    assert titles[column] == "Licitación: Periodo de licitación: Fecha de inicio"
    assert row[column] == datetime(2025, 2, 3, 10, 0)  # a date, in the installation's time
    assert main.cell(3, column + 1).number_format == "yyyy-mm-dd hh:mm:ss"
    method = headings.index("tender/procurementMethod")
    assert headings[method + 1] == "tender/procurementMethod (etiqueta)"
    assert (row[method], row[method + 1]) == ("open", "Abierta")
    assert row[headings.index("tender/value/amount")] == 250000
    suppliers = list(workbook["awa_suppliers"].iter_rows(min_row=2, values_only=True))
    assert suppliers[0][:3] == ("ocid", "id", "awards/0/id")
    assert suppliers[1][0] == ocid and suppliers[1][2] == f"{ocid}-award-1"
    dictionary = list(workbook["diccionario"].iter_rows(values_only=True))
    assert dictionary[0] == ("tabla", "ruta del arreglo", "columna", "título", "tipo")
    assert ("awa_suppliers", "awards/suppliers", "awards/0/suppliers/0/name") in {
        row[:3] for row in dictionary
    }


def test_full_tables_csv_keep_the_ocds_text_and_come_with_their_dictionary(bulk_dir, imss):
    ocid = publish_process(imss)

    export()

    archive = zipfile.ZipFile(bulk_dir / "2025" / "tablas-completas-2025-csv.zip")
    assert {"diccionario.csv", "main.csv", "ten_items.csv", "awa_items.csv"} <= set(
        archive.namelist()
    )
    text = archive.read("main.csv").decode("utf-8-sig")
    [process] = list(csv.DictReader(io.StringIO(text)))
    assert process["ocid"] == ocid
    assert process["tender/tenderPeriod/startDate"] == "2025-02-03T10:00:00-06:00"
    assert (process["tender/status"], process["tender/status (etiqueta)"]) == ("active", "Activo")
