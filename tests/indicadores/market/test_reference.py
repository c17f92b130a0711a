"""Reference market data: bulk files through importar_ocds --referencia, and the harvester of
another installation's OCDS API (a small HTTP server on 127.0.0.1). Kept apart: never in this
installation's records, releases, projections, OCDS API or bulk files."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
from django.core.management import call_command

from indicadores.market import selectors
from indicadores.market.models import PriceObservation, ReferenceDataset, ReferenceRecord
from indicadores.market.reference import harvest
from ocds_pages.models import ItemProjection, ProcessProjection, Record, Release
from tests.indicadores.market.helpers import CUCOP, item

pytestmark = pytest.mark.django_db


def other_release(n: int, price: float) -> dict:
    ocid = f"ocds-zz9999-OTRO-{n:06d}"
    return {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2024-05-01T10:00:00-06:00",
        "tag": ["award"],
        "initiationType": "tender",
        "buyer": {"id": "MX-RFC-GJA000101AA1", "name": "Gobierno de Jalisco"},
        "parties": [
            {
                "id": "MX-RFC-GJA000101AA1",
                "name": "Gobierno de Jalisco",
                "roles": ["buyer"],
                "address": {"region": "Jalisco"},
            },
            {"id": "MX-RFC-OTR010101AB1", "name": "Otro Proveedor, S.A.", "roles": ["supplier"]},
        ],
        "awards": [
            {
                "id": f"{ocid}-a1",
                "status": "active",
                "date": "2024-05-01T10:00:00-06:00",
                "suppliers": [{"id": "MX-RFC-OTR010101AB1", "name": "Otro Proveedor, S.A."}],
                "items": [item(price)],
            }
        ],
    }


def assert_not_published(ocids):
    assert not Record.objects.filter(ocid__in=ocids).exists()
    assert not Release.objects.filter(ocid__in=ocids).exists()
    assert not ProcessProjection.objects.filter(ocid__in=ocids).exists()
    assert not ItemProjection.objects.exists()


def test_bulk_file_is_stored_as_reference_and_never_published(tmp_path, client):
    path = tmp_path / "otro.json"
    releases = [other_release(n, 10 + n) for n in range(5)]
    path.write_text(json.dumps({"uri": "x", "version": "1.1", "releases": releases}))
    call_command("importar_ocds", str(path), "--referencia", "Gobierno de Jalisco (bulk)")
    dataset = ReferenceDataset.objects.get()
    assert (dataset.kind, dataset.records) == ("bulk", 5)
    reference = selectors.price_reference(selectors.search(clasificacion=CUCOP))
    assert reference.summary.count == 5 and reference.summary.median == 12
    row = reference.rows[0]
    assert (row.source, row.values["dataset__name"], row.state) == (
        "reference",
        "Gobierno de Jalisco (bulk)",
        "JAL",
    )
    ocids = [r["ocid"] for r in releases]
    assert_not_published(ocids)
    body = client.get("/api/ocds/records/", {"ocid": ocids[0]})
    assert body.status_code == 200 and body.json()["records"] == []
    response = client.get("/api/mercado/precios/", {"clasificacion": CUCOP})
    assert {r["sourceName"] for r in response.json()["rows"]} == {"Gobierno de Jalisco (bulk)"}


class FakeOcdsApi(BaseHTTPRequestHandler):
    """Two pages of records, linked by links.next, as our own /api/ocds/records/ does."""

    pages = {}

    def do_GET(self):  # noqa: N802
        body = self.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(orjson.dumps(body or {"code": "no_encontrado"}))

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOcdsApi)
    base = f"http://127.0.0.1:{server.server_port}"

    def record(n):
        return {"ocid": other_release(n, 20)["ocid"], "compiledRelease": other_release(n, 20 + n)}

    FakeOcdsApi.pages = {
        "/api/ocds/records/": {"records": [record(1), record(2)], "links": {"next": f"{base}/p2"}},
        "/p2": {"records": [record(3)], "links": {}},
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/api/ocds/records/"
    server.shutdown()


def test_harvester_pages_resumes_and_keeps_apart(fake_api):
    dataset = ReferenceDataset.objects.create(name="Otra instalación", kind="harvest", url=fake_api)
    seen = []
    assert harvest(dataset, progress=seen.append, max_pages=1) == 2
    dataset.refresh_from_db()
    assert dataset.cursor.endswith("/p2") and dataset.records == 2  # stopped: resumes at page 2
    assert harvest(dataset, progress=seen.append) == 1
    dataset.refresh_from_db()
    assert (dataset.cursor, dataset.records, seen) == ("", 3, [2, 1])
    assert PriceObservation.objects.filter(source="reference", dataset=dataset).count() == 3
    assert_not_published(ReferenceRecord.objects.values_list("ocid", flat=True))


def test_harvest_command_reports_an_unreachable_api(fake_api):
    with pytest.raises(Exception, match="no es un paquete|no respondió"):
        call_command("cosechar_referencia", fake_api + "nada", "--nombre", "X", "--sin-progreso")


def test_harvester_compiles_records_that_embed_their_releases(fake_api):
    """A record without compiledRelease is compiled from what ocds_pages' importer reads of it;
    one that only links its releases carries no data and is skipped."""
    tender = other_release(4, 30) | {"id": "t-1", "tag": ["tender"], "awards": []}
    award = other_release(4, 30) | {"id": "a-1", "date": "2024-06-01T10:00:00-06:00"}
    linked = {"url": "https://otro.example/r.json", "date": "2024-05-01T10:00:00-06:00"}
    FakeOcdsApi.pages["/api/ocds/records/"] = {
        "records": [
            {"ocid": award["ocid"], "releases": [tender, award]},
            {"ocid": other_release(5, 1)["ocid"], "releases": [linked]},
        ],
    }
    dataset = ReferenceDataset.objects.create(name="Otra instalación", kind="harvest", url=fake_api)
    assert harvest(dataset) == 1
    compiled = orjson.loads(ReferenceRecord.objects.get(ocid=award["ocid"]).compiled_release)
    assert compiled["tag"] == ["compiled"] and compiled["awards"][0]["items"] == [item(30)]
    prices = PriceObservation.objects.filter(source="reference", dataset=dataset)
    assert [(p.ocid, p.unit_price) for p in prices] == [(award["ocid"], 30)]
