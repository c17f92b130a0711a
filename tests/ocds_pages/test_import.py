import gzip
import io

import orjson
import pytest
from django.core.management import CommandError, call_command

from cms.models import Entity
from ocds_pages.models import Record, Release
from ocds_pages.packages import iter_record_package, stored_records, stored_release_texts
from tests.ocds_pages.factories import (
    FIXTURES,
    load_fixture,
    make_award_release,
    make_entity,
    make_tender_release,
)

OFFICIAL_OCID = "ocds-213czf-000-00001"
OFFICIAL_RELEASE_FILES = [
    "planning",
    "tender",
    "tenderAmendment",
    "tenderUpdate",
    "award",
    "contract",
    "implementation",
    "contractAmendment",
]


def run_import(*paths, create=False):
    out, err = io.StringIO(), io.StringIO()
    args = (
        [str(path) for path in paths] + ["--sin-progreso"] + (["--crear-entes"] if create else [])
    )
    call_command("importar_ocds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exported_releases(ocid):
    texts = stored_release_texts(queryset=Release.objects.filter(ocid=ocid))
    return sorted((orjson.loads(text) for text in texts), key=lambda release: release["id"])


def exported_record(ocid):
    body = b"".join(
        iter_record_package(
            records=stored_records(queryset=Record.objects.filter(ocid=ocid)), uri="https://x/r"
        )
    )
    return orjson.loads(body)["records"][0]


def write_jsonl_gz(path, objects):
    with gzip.open(path, "wb") as handle:
        for obj in objects:
            handle.write(orjson.dumps(obj) + b"\n")
    return path


@pytest.mark.django_db
def test_official_release_packages_import_and_export_back_the_same_releases():
    paths = [FIXTURES / "official" / f"{name}.json" for name in OFFICIAL_RELEASE_FILES]
    originals = [
        load_fixture(f"official/{name}.json")["releases"][0] for name in OFFICIAL_RELEASE_FILES
    ]

    out, err = run_import(*paths, create=True)

    assert "Importadas: 8" in out
    assert err == ""
    assert exported_releases(OFFICIAL_OCID) == sorted(originals, key=lambda r: r["id"])
    assert Entity.objects.get().name == "London Borough of Barnet"


@pytest.mark.django_db
def test_fictional_process_exports_the_record_the_example_publishes():
    published = load_fixture("fictional/record/ocds-213czf-000-00001-withversions.json")
    run_import(
        FIXTURES / "fictional" / "ocds-213czf-000-00001.json",
        FIXTURES / "fictional" / "ocds-213czf-000-00001-06-implementation.json",
        create=True,
    )

    record = exported_record(OFFICIAL_OCID)

    assert record["compiledRelease"] == published["records"][0]["compiledRelease"]
    assert record["versionedRelease"] == published["records"][0]["versionedRelease"]
    assert [release["date"] for release in record["releases"]] == [
        linked["date"] for linked in published["records"][0]["releases"]
    ]


@pytest.mark.django_db
def test_record_package_with_embedded_releases_imports_each_release():
    out, _err = run_import(FIXTURES / "official" / "record-embedded-releases.json", create=True)

    assert "Importadas: 7" in out
    assert Record.objects.get(ocid=OFFICIAL_OCID).release_count == 7


@pytest.mark.django_db
def test_record_with_only_linked_releases_imports_its_compiled_release():
    path = FIXTURES / "fictional" / "record" / "ocds-213czf-000-00001.json"
    compiled = load_fixture("fictional/record/ocds-213czf-000-00001.json")["records"][0][
        "compiledRelease"
    ]

    out, _err = run_import(path, create=True)

    assert "Importadas: 1" in out
    assert exported_releases(OFFICIAL_OCID) == [compiled]


@pytest.mark.django_db
def test_importing_the_same_file_twice_skips_and_counts_the_repeated_releases():
    path = FIXTURES / "fictional" / "ocds-213czf-000-00001.json"
    run_import(path, create=True)

    out, _err = run_import(path, create=True)

    assert "Importadas: 0" in out
    assert "Omitidas por repetidas: 6" in out
    assert Release.objects.count() == 6
    assert Entity.objects.count() == 1


@pytest.mark.django_db
def test_gzipped_json_lines_of_releases_import(tmp_path):
    releases = load_fixture("fictional/ocds-213czf-000-00001.json")["releases"]
    path = write_jsonl_gz(tmp_path / "entregas.jsonl.gz", releases)

    out, _err = run_import(path, create=True)

    assert "Importadas: 6" in out
    assert exported_releases(OFFICIAL_OCID) == sorted(releases, key=lambda r: r["id"])


@pytest.mark.django_db
def test_json_lines_of_compiled_releases_import_one_release_per_process(tmp_path):
    compiled = load_fixture("fictional/record/ocds-213czf-000-00001.json")["records"][0][
        "compiledRelease"
    ]
    path = tmp_path / "compiladas.jsonl"
    path.write_bytes(orjson.dumps(compiled) + b"\n")

    out, _err = run_import(path, create=True)

    assert "Importadas: 1" in out
    assert Release.objects.get().tags == ["compiled"]


@pytest.mark.django_db
def test_a_truncated_file_is_rejected_whole_and_nothing_is_stored(tmp_path):
    text = (FIXTURES / "fictional" / "ocds-213czf-000-00001.json").read_bytes()
    path = tmp_path / "truncado.json"
    path.write_bytes(text[: len(text) * 2 // 3])

    with pytest.raises(CommandError):
        run_import(path, create=True)

    assert not Release.objects.exists()
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_a_truncated_json_lines_file_names_the_broken_line(tmp_path):
    releases = load_fixture("fictional/ocds-213czf-000-00001.json")["releases"]
    lines = [orjson.dumps(release) for release in releases]
    path = tmp_path / "entregas.jsonl"
    path.write_bytes(b"\n".join(lines[:-1] + [lines[-1][:40]]) + b"\n")
    good = tmp_path / "otro.jsonl"
    good.write_bytes(lines[0] + b"\n")

    out, err = run_import(path, good, create=True)

    assert "entregas.jsonl rechazado: Línea 6: JSON mal formado o truncado" in err
    assert "Importadas: 1" in out  # the other file is still imported
    assert "Archivos rechazados: 1" in out


@pytest.mark.django_db
def test_an_unknown_buyer_is_reported_and_its_process_skipped():
    out, err = run_import(FIXTURES / "fictional" / "ocds-213czf-000-00001.json")

    assert "Sin ente: 6" in out
    assert "El comprador 'London Borough of Barnet' del proceso ocds-213czf-000-00001" in err
    assert not Release.objects.exists()
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_the_buyer_is_mapped_to_an_existing_entity_by_rfc(tmp_path):
    entity = make_entity()
    release = make_tender_release(ocid="ocds-zzzzzz-IMSS-77", entity=entity)
    release["buyer"]["id"] = release["parties"][0]["id"] = "comprador-1"
    path = tmp_path / "imss.jsonl"
    path.write_bytes(orjson.dumps(release) + b"\n")

    out, _err = run_import(path)

    assert "Importadas: 1" in out
    assert Record.objects.get(ocid="ocds-zzzzzz-IMSS-77").entity == entity


@pytest.mark.django_db
def test_an_invalid_release_rejects_its_process_but_not_the_others(tmp_path):
    entity = make_entity()
    first_ok = make_tender_release(ocid="ocds-zzzzzz-IMSS-1", entity=entity)
    second_bad = make_award_release(
        ocid="ocds-zzzzzz-IMSS-1", entity=entity, award={"status": "ganada"}
    )
    other_ok = make_tender_release(ocid="ocds-zzzzzz-IMSS-2", entity=entity)
    path = tmp_path / "mezcla.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in (first_ok, second_bad, other_ok)))

    out, err = run_import(path)

    assert "Importadas: 1" in out
    assert "Inválidas: 2" in out
    assert (
        "mezcla.jsonl:2: awards/0/status: El valor 'ganada' no está en la lista cerrada "
        "awardStatus." in err
    )
    assert list(Release.objects.values_list("ocid", flat=True)) == ["ocds-zzzzzz-IMSS-2"]
    assert not Record.objects.filter(ocid="ocds-zzzzzz-IMSS-1").exists()


@pytest.mark.django_db
def test_a_release_that_breaks_the_schema_reports_each_path(tmp_path):
    entity = make_entity()
    release = make_tender_release(ocid="ocds-zzzzzz-IMSS-3", entity=entity)
    release["tender"]["value"]["amount"] = "mucho"
    release["tender"]["items"].append(dict(release["tender"]["items"][0], description="otra"))
    path = tmp_path / "rota.jsonl"
    path.write_bytes(orjson.dumps(release) + b"\n")

    out, err = run_import(path)

    assert "Inválidas: 1" in out
    assert "rota.jsonl:1: tender/items/1/id: El id '1' está repetido en tender/items." in err
    assert "rota.jsonl:1: tender/value/amount: Se esperaba un número." in err
    assert not Release.objects.exists()


@pytest.mark.django_db
def test_a_truncated_gzip_file_is_rejected(tmp_path):
    releases = load_fixture("fictional/ocds-213czf-000-00001.json")["releases"]
    whole = write_jsonl_gz(tmp_path / "completo.jsonl.gz", releases).read_bytes()
    path = tmp_path / "cortado.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(CommandError):
        run_import(path, create=True)

    assert not Release.objects.exists()


@pytest.mark.django_db
def test_an_entity_created_for_an_invalid_process_is_rolled_back_with_it(tmp_path):
    release = load_fixture("official/tender.json")["releases"][0]
    release["tender"]["status"] = "abierta"
    path = tmp_path / "invalida.jsonl"
    path.write_bytes(orjson.dumps(release) + b"\n")

    out, err = run_import(path, create=True)

    assert "Inválidas: 1" in out
    assert "tender/status: El valor 'abierta' no está en la lista cerrada tenderStatus." in err
    assert not Entity.objects.exists()
