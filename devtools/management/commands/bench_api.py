"""``manage.py bench_api``: benchmark of the export API (not a test; see docs/benchmarks.md).

On a throwaway database created and destroyed by the command, it publishes ``--procesos``
generated processes through ``publish_releases`` and measures, through Django's test client
(the whole view stack, without the network):
1. the PDN's S6 endpoint with pageSize 200, without and with filters (p50/p95 over the runs);
2. pages of the OCDS API (releases and records);
3. ``exportar_bulk``: processes and MB per second.
"""

import os
import platform
import statistics
import tempfile
import time
from io import StringIO
from pathlib import Path

import orjson
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.models import Entity, OAuthClient
from devtools.throwaway_db import throwaway_database
from ocds_pages.bulk import read_metadata
from ocds_pages.party_keys import rfc_party_id
from ocds_pages.publication import build_release_id, publish_releases

BUYERS = [
    ("IMSS", "Instituto Mexicano del Seguro Social", "IMS421231I45"),
    ("SEP", "Secretaría de Educación Pública", "SEP210905778"),
    ("SCT", "Secretaría de Comunicaciones y Transportes", "SCT8411179Q4"),
    ("CFE", "Comisión Federal de Electricidad", "CFE370814QI0"),
    ("SSA", "Secretaría de Salud", "SSA630502CU1"),
]
SUBJECTS = [
    "Adquisición de medicamentos genéricos",
    "Servicio integral de limpieza",
    "Mantenimiento de carreteras federales",
    "Suministro de energía y transformadores",
    "Arrendamiento de equipo de cómputo",
    "Adquisición de vacunas y jeringas",
    "Construcción de aulas escolares",
    "Servicio de vigilancia en inmuebles",
]
SUPPLIERS = [
    "Distribuidora Peñón, S.A. de C.V.",
    "Farmacéutica del Norte, S.A.",
    "Constructora Núñez y Asociados",
    "Servicios Integrales Álvarez",
    "Tecnología Educativa de México",
    "Limpieza Industrial Ramírez",
]
METHODS = ["open", "selective", "limited", "direct"]
STATUSES = ["active", "active", "active", "pending", "cancelled", "unsuccessful"]
S6 = "/api/s6/contrataciones-abiertas"


def _party(party_id, name, rfc, roles):
    return {
        "id": party_id,
        "name": name,
        "identifier": {"scheme": "MX-RFC", "id": rfc},
        "roles": roles,
    }


def process_releases(ocid: str, serial: int, buyer: tuple, year: int) -> list[dict]:
    """Tender (3 items) and award of one generated process; fields vary with ``serial``."""
    key, name, rfc = buyer
    supplier = SUPPLIERS[serial % len(SUPPLIERS)]
    supplier_rfc = f"PRV{serial % len(SUPPLIERS):06d}AA{serial % 10}"
    supplier_id = rfc_party_id(supplier_rfc)
    month = 1 + serial % 11
    items = [
        {
            "id": str(n),
            "description": f"{SUBJECTS[(serial + n) % len(SUBJECTS)]}, partida {n}",
            "classification": {"scheme": "CUCOP", "id": f"2530{n:04d}"},
            "quantity": 10 * n,
            "unit": {"name": "Pieza", "value": {"amount": 99.5 + n, "currency": "MXN"}},
        }
        for n in range(1, 4)
    ]
    common = {
        "ocid": ocid,
        "language": "es",
        "initiationType": "tender",
        "buyer": {"id": rfc_party_id(rfc), "name": name},
        "parties": [
            _party(rfc_party_id(rfc), name, rfc, ["buyer", "procuringEntity"]),
            _party(supplier_id, supplier, supplier_rfc, ["supplier", "tenderer"]),
        ],
    }
    tender = {
        "id": f"{ocid}-tender",
        "title": f"{SUBJECTS[serial % len(SUBJECTS)]} {serial} ({key})",
        "status": "complete",
        "procurementMethod": METHODS[serial % len(METHODS)],
        "numberOfTenderers": 1 + serial % 7,
        "value": {"amount": 100_000.0 + serial, "currency": "MXN"},
        "tenderPeriod": {
            "startDate": f"{year}-{month:02d}-01T10:00:00-06:00",
            "endDate": f"{year}-{month:02d}-20T10:00:00-06:00",
        },
        "items": items,
    }
    award = {
        "id": f"{ocid}-award-1",
        "title": "Fallo del procedimiento",
        "status": STATUSES[serial % len(STATUSES)],
        "date": f"{year}-{month:02d}-25T10:00:00-06:00",
        "value": {"amount": 95_000.0 + serial, "currency": "MXN"},
        "suppliers": [{"id": supplier_id, "name": supplier}],
        "items": items[:2],
    }
    first = common | {"id": build_release_id(ocid=ocid, number=1), "tag": ["tender"]}
    second = common | {"id": build_release_id(ocid=ocid, number=2), "tag": ["award"]}
    first |= {"date": f"{year}-{month:02d}-01T09:00:00-06:00", "tender": tender}
    second |= {"date": f"{year}-{month:02d}-25T11:00:00-06:00", "awards": [award]}
    return [first, second]


class Command(BaseCommand):
    help = _("Mide el endpoint S6, la API OCDS y la exportación masiva en una base desechable.")

    def add_arguments(self, parser):
        parser.add_argument("--procesos", type=int, default=3000, dest="processes")
        parser.add_argument("--repeticiones", type=int, default=30, dest="runs")

    def handle(self, *args, processes, runs, **options):
        rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], client=None, anon=None)
        with (
            throwaway_database("bench_api"),
            tempfile.TemporaryDirectory() as directory,
            override_settings(
                OCDS_BULK_DIR=Path(directory),
                OCDS_API_WATERMARK_SECONDS=0,
                # Count totalRows on every request: the worst case, a query's first page.
                S6_COUNT_CACHE_SECONDS=0,
                REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates},
            ),
        ):
            self.run(processes, runs)

    def run(self, processes: int, runs: int):
        start = time.perf_counter()
        size = self.publish(processes)
        lines = [
            f"- {_('Máquina')}: {platform.machine()}, {_('núcleos')}: "
            f"{len(os.sched_getaffinity(0))}, Python {platform.python_version()}, {_database()}",
            _(
                "- Datos: %(processes)d procesos (%(releases)d entregas) publicados con "
                "publish_releases en %(seconds).0f s; entrega compilada media %(kb).1f KB"
            )
            % {
                "processes": processes,
                "releases": processes * 2,
                "seconds": time.perf_counter() - start,
                "kb": size / 1024,
            },
            "",
            "| " + _("consulta") + " | p50 ms | p95 ms | " + _("filas") + " | " + _("bytes") + " |",
            "|---|---|---|---|---|",
        ]
        client, token = self.pdn_client()
        for label, body in self.s6_cases():
            lines.append(self.measure_s6(client, token, label, body, runs))
        for label, url in self.ocds_cases():
            lines.append(self.measure_get(client, label, url, runs))
        lines += ["", self.bench_bulk()]
        self.stdout.write("\n".join(lines))

    def publish(self, processes: int) -> float:
        entities = [
            Entity.objects.create(key=key, name=name, acronym=key, level="federal", rfc=rfc)
            for key, name, rfc in BUYERS
        ]
        sizes = []
        for serial in tqdm(range(processes), desc=_("Publicar"), leave=False):
            index = serial % len(BUYERS)
            ocid = f"{settings.OCID_PREFIX}-{BUYERS[index][0]}-{serial:06d}"
            releases = process_releases(ocid, serial, BUYERS[index], 2024 + serial % 2)
            publish_releases(releases=releases, entity=entities[index])
            sizes.append(len(orjson.dumps(releases[0] | releases[1])))
        return statistics.mean(sizes)

    def pdn_client(self) -> tuple[Client, str]:
        password = "Bench-Clave-Segura-2026"  # noqa: S105 (throwaway database)
        user = get_user_model().objects.create_user(username="pdn", password=password)
        OAuthClient.objects.create(
            client_id="pdn",
            client_secret="bench-secreto",  # noqa: S106 (throwaway database)
            name="PDN",
            user=user,
            client_type=OAuthClient.CLIENT_CONFIDENTIAL,
            authorization_grant_type=OAuthClient.GRANT_PASSWORD,
            allowed_scopes="read s6",
            pdn_protocol=True,
        )
        client = Client()
        response = client.post(
            "/oauth/token/",
            {
                "grant_type": "password",
                "username": "pdn",
                "password": password,
                "client_id": "pdn",
                "client_secret": "bench-secreto",
                "scope": "s6",
            },
        )
        return client, response.json()["access_token"]

    def s6_cases(self):
        yield _("S6 pageSize 200, sin filtros"), {"pageSize": 200}
        yield _("S6 pageSize 200, página 10"), {"pageSize": 200, "page": 10}
        yield _("S6 pageSize 200, orden por título"), {"pageSize": 200, "sort": {"title": "asc"}}
        yield (
            _("S6 pageSize 200, título común («adquisicion»)"),
            {
                "pageSize": 200,
                "query": {"title": "adquisicion"},
            },
        )
        yield (
            _("S6 pageSize 200, proveedor («peñon») + método"),
            {
                "pageSize": 200,
                "query": {"supplierName": "peñon", "procurementMethod": ["open", "direct"]},
            },
        )
        yield (
            _("S6 pageSize 200, comprador + partida + orden"),
            {
                "pageSize": 200,
                "sort": {"buyerName": "desc"},
                "query": {"buyerName": "secretaria", "itemDescription": "vacunas"},
            },
        )
        yield (
            _("S6 pageSize 200, término raro en el título («1234 (»)"),
            {
                "pageSize": 200,
                "query": {"title": "1234 ("},
            },
        )

    def ocds_cases(self):
        yield _("API OCDS: 100 entregas"), "/api/ocds/releases/?limit=100"
        yield _("API OCDS: 1000 entregas"), "/api/ocds/releases/?limit=1000"
        yield _("API OCDS: 100 registros"), "/api/ocds/records/?limit=100"

    def measure_s6(self, client, token, label, body, runs) -> str:
        data = orjson.dumps(body)

        def call():
            return client.post(
                S6, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
            )

        return self._row(label, call, runs, rows=lambda r: r.json()["pagination"]["totalRows"])

    def measure_get(self, client, label, url, runs) -> str:
        return self._row(label, lambda: client.get(url), runs, rows=lambda r: r["X-Total-Count"])

    def _row(self, label, call, runs, *, rows) -> str:
        samples, response = [], call()  # the first call warms caches and is not counted
        for _run in range(runs):
            start = time.perf_counter()
            response = call()
            samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:300]
        p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]
        return (
            f"| {label} | {statistics.median(samples) * 1000:.1f} | {p95 * 1000:.1f} | "
            f"{rows(response)} | {len(response.content):,} |"
        )

    def bench_bulk(self) -> str:
        start = time.perf_counter()
        call_command("exportar_bulk", "--sin-progreso", stdout=StringIO())
        elapsed = time.perf_counter() - start
        files = read_metadata()["files"]
        processes = sum(item["count"] for item in files if item["format"] == "jsonl.gz")
        json_bytes = sum(item["uncompressed_size"] for item in files)
        on_disk = sum(item["size"] for item in files)
        return _(
            "- exportar_bulk (JSON Lines, paquetes, CSV y XLSX, %(years)d años): %(seconds).1f s, "
            "%(rate).0f procesos/s, %(mb).1f MB/s de JSON; %(disk).1f MB en disco"
        ) % {
            "years": len({item["year"] for item in files}),
            "seconds": elapsed,
            "rate": processes / elapsed,
            "mb": json_bytes / elapsed / 1e6,
            "disk": on_disk / 1e6,
        }


def _database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"
