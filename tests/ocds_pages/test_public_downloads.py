"""Downloads: the filtered search as CSV and as an OCDS package (streamed), and each process's
record and releases as OCDS JSON at stable URLs."""

import csv
import io

import orjson
import pytest

from ocds_pages.models import Record, Release
from tests.ocds_pages.test_packages import offline_validator

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_of_the_filtered_search(client, public_dataset):
    response = client.get("/procesos/descargar/procesos.csv", {"ente": "IMSS", "orden": "titulo"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="procesos.csv"' in response["Content-Disposition"]
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["ocid"] for row in rows} == {
        public_dataset["medicamentos"],
        public_dataset["limpieza"],
    }
    medicines = next(row for row in rows if row["ocid"] == public_dataset["medicamentos"])
    assert medicines["procedimiento (código OCDS)"] == "open"
    assert medicines["monto contratado"] == "558000"
    assert medicines["proveedores"] == "Medicamentos Mexicanos, S.A. de C.V."
    assert medicines["página"].endswith(f"/procesos/{public_dataset['medicamentos']}/")


def test_json_of_the_filtered_search_is_an_ocds_package_of_compiled_releases(
    client, public_dataset
):
    response = client.get("/procesos/descargar/procesos.json", {"procedimiento": "direct"})

    assert response.streaming
    package = orjson.loads(body(response))
    assert package["version"] == "1.1"
    assert package["publicationPolicy"].endswith("/politica-de-publicacion/")
    ocids = {release["ocid"] for release in package["releases"]}
    assert ocids == {public_dataset["computadoras"], public_dataset["botiquines"]}
    stored = Record.objects.get(ocid=public_dataset["botiquines"]).compiled_release
    assert orjson.loads(stored) in package["releases"]


def test_process_record_json_is_a_valid_record_package(client, public_dataset):
    ocid = public_dataset["medicamentos"]
    response = client.get(f"/procesos/{ocid}/registro.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    package = orjson.loads(response.content)
    (record,) = package["records"]
    assert record["ocid"] == ocid
    assert [release["id"] for release in record["releases"]] == [
        f"{ocid}-{number:04d}" for number in range(1, 7)
    ]
    assert record["compiledRelease"]["contracts"][0]["implementation"]["transactions"]
    assert "versionedRelease" in record
    assert list(offline_validator("record-package-schema.json").iter_errors(package)) == []


def test_release_packages_downloaded_validate(client, public_dataset):
    ocid = public_dataset["medicamentos"]
    single = orjson.loads(client.get(f"/procesos/{ocid}/entregas/{ocid}-0006.json").content)

    assert list(offline_validator("release-package-schema.json").iter_errors(single)) == []


def test_each_release_json_is_served_as_stored(client, public_dataset):
    ocid = public_dataset["carretera"]
    release_id = f"{ocid}-0002"

    response = client.get(f"/procesos/{ocid}/entregas/{release_id}.json")

    (release,) = orjson.loads(response.content)["releases"]
    assert release == orjson.loads(Release.objects.get(release_id=release_id).data)
    assert release["tag"] == ["tender"]


def test_unknown_release_or_record_is_404(client, public_dataset):
    ocid = public_dataset["carretera"]

    assert client.get(f"/procesos/{ocid}/entregas/{ocid}-0099.json").status_code == 404
    assert client.get("/procesos/ocds-cidemo-X-000001/registro.json").status_code == 404


def test_csv_text_that_looks_like_a_formula_is_neutralised():
    from decimal import Decimal

    from ocds_pages.public_search import _csv_value

    assert _csv_value('=HYPERLINK("http://x.example")') == '\'=HYPERLINK("http://x.example")'
    assert _csv_value("@SUMA(A1)") == "'@SUMA(A1)"
    assert _csv_value(Decimal("-5.50")) == "-5.5"  # numbers stay numbers
    assert _csv_value("Adquisición de medicamentos") == "Adquisición de medicamentos"
