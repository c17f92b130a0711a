"""A big file is imported as a stream (issue 22, item 12): nothing is read whole, the first error
is reported while the import goes on, a broken file says where it breaks, and uniqueItems does
not take quadratic time."""

import io

import orjson
import pytest
from django.core.management import call_command
from jsonschema import Draft4Validator

from ocds_pages.importer import (
    MAX_ISSUES_PER_PROCESS,
    EntityResolver,
    FileScan,
    ImportFileError,
    ImportSummary,
    import_items,
    read_items,
    scan_file,
)
from ocds_pages.models import Record, Release
from ocds_pages.validation import ReleaseValidator
from tests.ocds_pages.factories import make_entity, make_tender_release

pytestmark = pytest.mark.django_db


def minified_package(releases, extensions=()) -> bytes:
    """One line, with ``extensions`` after the releases (as some publishers write it)."""
    head = {"uri": "https://x.example/p.json", "version": "1.1", "publisher": {"name": "X"}}
    body = orjson.dumps(head)[:-1] + b',"releases":' + orjson.dumps(releases)
    return body + b',"extensions":' + orjson.dumps(list(extensions)) + b"}"


def processes(entity, count, *, broken=()):
    releases = []
    for number in range(count):
        release = make_tender_release(ocid=f"ocds-zzzzzz-GRANDE-{number}", entity=entity)
        if number in broken:
            release["tender"]["status"] = "abierta"
        releases.append(release)
    return releases


def run_import(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("importar_ocds", str(path), "--sin-progreso", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_one_line_package_is_read_release_by_release_with_its_trailing_extensions(tmp_path):
    entity = make_entity()
    url = "https://extensiones.example.org/ocds_x_extension/v1/extension.json"
    path = tmp_path / "paquete.json"
    path.write_bytes(minified_package(processes(entity, 3), [url]))

    scan = scan_file(path)
    items = list(read_items(path, scan))

    assert (scan.count, scan.values, scan.packages) == (3, 1, {0: (url,)})
    assert [item.location for item in items] == [
        "paquete.json: releases/0",
        "paquete.json: releases/1",
        "paquete.json: releases/2",
    ]
    assert {item.extensions for item in items} == {(url,)}


def test_items_come_before_the_end_of_the_file_is_read(tmp_path):
    """The reader builds one release at a time: the first ones are there before the parser
    reaches the break at the end (which scan_file would have refused up front)."""
    entity = make_entity()
    path = tmp_path / "cortado.json"
    path.write_bytes(minified_package(processes(entity, 3))[:-60])
    scan = FileScan(count=3, values=1, packages={0: ()})

    read = []
    with pytest.raises(Exception):  # noqa: B017 - ijson's error type depends on its backend
        for item in read_items(path, scan):
            read.append(item.release["ocid"])

    assert read[:2] == ["ocds-zzzzzz-GRANDE-0", "ocds-zzzzzz-GRANDE-1"]


def test_a_broken_one_line_file_is_refused_saying_where_and_nothing_is_stored(tmp_path):
    entity = make_entity()
    text = minified_package(processes(entity, 4))
    path = tmp_path / "roto.json"
    path.write_bytes(text[: len(text) // 2])

    with pytest.raises(ImportFileError, match=r"Cerca del byte \d+: JSON mal formado o truncado"):
        scan_file(path)
    assert not Release.objects.exists()


def test_the_first_error_is_reported_while_the_import_goes_on(tmp_path):
    entity = make_entity()
    path = tmp_path / "paquete.json"
    path.write_bytes(minified_package(processes(entity, 5, broken={1})))
    stored_when_reported = []

    def on_message(kind, text):
        stored_when_reported.append((kind, text, Record.objects.count()))

    summary = ImportSummary(on_message=on_message)
    import_items(items=read_items(path), resolver=EntityResolver(create=False), summary=summary)

    kind, text, stored = stored_when_reported[0]
    assert kind == "error"
    assert text.startswith("paquete.json: releases/1: tender/status")
    assert stored == 1  # only the process before it; the three after it came later
    assert summary.imported == 4 and Record.objects.count() == 4


def test_an_invalid_process_reports_its_first_issues_in_document_order(tmp_path):
    entity = make_entity()
    release = make_tender_release(ocid="ocds-zzzzzz-PARTIDAS-1", entity=entity)
    release["tender"]["items"] = [
        {"id": str(number), "quantity": "muchas"} for number in range(MAX_ISSUES_PER_PROCESS + 15)
    ]
    path = tmp_path / "partidas.json"
    path.write_bytes(minified_package([release]))

    out, err = run_import(path)

    lines = err.strip().splitlines()
    assert "Inválidas: 1" in out
    assert len(lines) == MAX_ISSUES_PER_PROCESS + 1
    assert lines[0].endswith("tender/items/0/quantity: Se esperaba un número.")
    assert lines[10].endswith("tender/items/10/quantity: Se esperaba un número.")
    assert lines[-1] == "partidas.json: releases/0: … y 15 errores más en este proceso."


@pytest.mark.parametrize(
    "array",
    [
        [{"id": "1", "name": "A"}, {"name": "A", "id": "1"}],  # key order does not matter
        [{"amount": 1}, {"amount": 1.0}],  # 1 == 1.0 in JSON Schema
        [[1, {"a": None}], [1, {"a": None}]],
        ["x", "y", "x"],
    ],
)
def test_unique_items_finds_what_jsonschema_finds(array):
    schema = {"type": "array", "uniqueItems": True}

    assert not ReleaseValidator(schema).is_valid(array)
    assert not Draft4Validator(schema).is_valid(array)


@pytest.mark.parametrize(
    "array",
    [
        [True, 1],  # a boolean is never a number
        [{"id": "1"}, {"id": "2"}],
        [{"a": [1, 2]}, {"a": [2, 1]}],
        [None, 0, "", False],
    ],
)
def test_unique_items_accepts_what_jsonschema_accepts(array):
    schema = {"type": "array", "uniqueItems": True}

    assert ReleaseValidator(schema).is_valid(array)
    assert Draft4Validator(schema).is_valid(array)


def test_a_compiled_only_process_is_never_mixed_with_releases(tmp_path):
    """Issue 22, item 7: a compiled release stands alone; releases of its history are refused
    for it (and the other way round), with the reason, leaving the record as it was."""
    entity = make_entity()
    release = make_tender_release(ocid="ocds-zzzzzz-COMPILADO-1", entity=entity)
    compiled = {**release, "id": "ocds-zzzzzz-COMPILADO-1-compiled", "tag": ["compiled"]}
    (tmp_path / "compilado.jsonl").write_bytes(orjson.dumps(compiled) + b"\n")
    (tmp_path / "entregas.json").write_bytes(minified_package([release]))

    run_import(tmp_path / "compilado.jsonl")
    before = Record.objects.get().compiled_release
    out, err = run_import(tmp_path / "entregas.json")

    assert "Inválidas: 1" in out
    assert "mezclaría una entrega compilada (sin su historia)" in err
    assert Record.objects.get().compiled_release == before
    assert list(Release.objects.values_list("tags", flat=True)) == [["compiled"]]
