"""``manage.py bench_ocds``: benchmark of the OCDS core (not a test; see docs/benchmarks.md).

It measures, on a throwaway database created and destroyed by the command (nothing touches the
real one, whose releases could not be deleted anyway):
1. publishing one release and recompiling a process that already has 20 releases (median ms);
2. importing 10,000 generated releases from JSON Lines (releases/s);
3. our compilation vs calling ocdskit directly on the same 20 releases (ratio of medians).
"""

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import orjson
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _
from ocdskit.combine import merge
from tqdm import tqdm

from cms.models import Entity
from devtools.throwaway_db import throwaway_database
from ocds_pages.compile import compile_releases, get_merger
from ocds_pages.extension import patched_release_schema
from ocds_pages.importer import EntityResolver, ImportSummary, import_items, read_items
from ocds_pages.party_keys import rfc_party_id
from ocds_pages.publication import build_release_id, publish_release, publish_releases

RFC = "BEN010101AB1"
BUYER_ID = rfc_party_id(RFC)
SUPPLIER_RFC = "PRO010101AA1"
SUPPLIER_ID = rfc_party_id(SUPPLIER_RFC)


def base_release(ocid: str, number: int, tag: str, day: int) -> dict:
    return {
        "ocid": ocid,
        "id": build_release_id(ocid=ocid, number=number),
        "date": f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T10:00:00-06:00",
        "tag": [tag],
        "language": "es",
        "initiationType": "tender",
        "buyer": {"id": BUYER_ID, "name": "Ente de pruebas de rendimiento"},
        "parties": [
            {
                "id": BUYER_ID,
                "name": "Ente de pruebas de rendimiento",
                "identifier": {"scheme": "MX-RFC", "id": RFC},
                "roles": ["buyer", "procuringEntity"],
            },
            {
                "id": SUPPLIER_ID,
                "name": "Proveedora Nacional, S.A. de C.V.",
                "identifier": {"scheme": "MX-RFC", "id": SUPPLIER_RFC},
                "roles": ["supplier", "tenderer"],
            },
        ],
    }


def items(count: int) -> list[dict]:
    return [
        {
            "id": str(index),
            "description": f"Bien o servicio número {index} de la partida",
            "classification": {"scheme": "CUCOP", "id": f"2530{index:04d}"},
            "quantity": 10 * index,
            "unit": {"name": "Pieza", "value": {"amount": 99.5 + index, "currency": "MXN"}},
        }
        for index in range(1, count + 1)
    ]


def tender_section(ocid: str, revision: int) -> dict:
    return {
        "id": f"{ocid}-tender",
        "title": "Servicio integral de limpieza para inmuebles",
        "description": f"Licitación pública nacional, revisión {revision} de las bases.",
        "status": "active",
        "procurementMethod": "open",
        "procurementMethodDetails": "Licitación pública",
        "mainProcurementCategory": "services",
        "value": {"amount": 1_500_000.0 + revision, "currency": "MXN"},
        "tenderPeriod": {
            "startDate": "2025-01-01T10:00:00-06:00",
            "endDate": "2025-01-28T10:00:00-06:00",
        },
        "items": items(5),
        "documents": [
            {"id": f"doc-{n}", "title": f"Anexo {n}", "documentType": "biddingDocuments"}
            for n in range(revision + 1)
        ],
    }


def process_releases(ocid: str, count: int = 20) -> list[dict]:
    """A realistic process: tender, updates, award, contract, then implementation payments."""
    award_id, contract_id = f"{ocid}-award-1", f"{ocid}-contract-1"
    releases = []
    for number in range(1, count + 1):
        if number <= 5:
            release = base_release(
                ocid, number, "tender" if number == 1 else "tenderUpdate", number
            )
            release["tender"] = tender_section(ocid, number)
        elif number == 6:
            release = base_release(ocid, number, "award", 30)
            release["awards"] = [
                {
                    "id": award_id,
                    "status": "active",
                    "date": "2025-02-05T10:00:00-06:00",
                    "value": {"amount": 1_400_000.0, "currency": "MXN"},
                    "suppliers": [{"id": SUPPLIER_ID, "name": "Proveedora Nacional"}],
                    "items": items(5),
                }
            ]
        elif number == 7:
            release = base_release(ocid, number, "contract", 40)
            release["contracts"] = [
                {
                    "id": contract_id,
                    "awardID": award_id,
                    "status": "active",
                    "dateSigned": "2025-02-15T10:00:00-06:00",
                    "value": {"amount": 1_400_000.0, "currency": "MXN"},
                    "items": items(5),
                }
            ]
        else:
            release = base_release(ocid, number, "implementation", 40 + number)
            release["contracts"] = [
                {
                    "id": contract_id,
                    "awardID": award_id,
                    "implementation": {
                        "transactions": [
                            {
                                "id": f"pago-{n}",
                                "date": "2025-03-01T10:00:00-06:00",
                                "value": {"amount": 100_000.0, "currency": "MXN"},
                            }
                            for n in range(8, number + 1)
                        ]
                    },
                }
            ]
        releases.append(release)
    return releases


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class Command(BaseCommand):
    help = _("Mide la publicación, la importación y la compilación OCDS en una base desechable.")

    def add_arguments(self, parser):
        parser.add_argument("--repeticiones", type=int, default=50, dest="runs")
        parser.add_argument("--entregas-importacion", type=int, default=10_000, dest="imports")

    def handle(self, *args, runs, imports, **options):
        with throwaway_database("bench"):
            self.run(runs, imports)

    def run(self, runs: int, imports: int):
        entity = Entity.objects.create(
            key="BENCH", name="Ente de pruebas de rendimiento", level="federal", rfc=RFC
        )
        lines = [
            f"- {_('Máquina')}: {platform.machine()}, {_('núcleos')}: {_cpu_count()}, "
            f"Python {platform.python_version()}, {_database_version()}",
            self.bench_publish(entity, runs),
            self.bench_import(imports),
            self.bench_compile(runs),
        ]
        self.stdout.write("\n".join(lines))

    def bench_publish(self, entity: Entity, runs: int) -> str:
        samples = []
        for serial in tqdm(range(runs), desc=_("Publicar"), leave=False):
            ocid = f"ocds-cidemo-BENCH-{serial:06d}"
            releases = process_releases(ocid, 21)
            publish_releases(releases=releases[:20], entity=entity)
            start = time.perf_counter()
            publish_release(release=releases[20], entity=entity)
            samples.append(time.perf_counter() - start)
        return _(
            "- Publicar una entrega y recompilar un proceso con 20 entregas: mediana "
            "%(median).1f ms, p90 %(p90).1f ms (%(runs)s repeticiones)"
        ) % {
            "median": median_ms(samples),
            "p90": statistics.quantiles(samples, n=10)[-1] * 1000,
            "runs": runs,
        }

    def bench_import(self, count: int) -> str:
        per_process = 2
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "bench.jsonl"
            with path.open("wb") as handle:
                for serial in range(count // per_process):
                    ocid = f"ocds-zzzzzz-IMPORT-{serial:06d}"
                    for release in process_releases(ocid, 7)[5:7]:  # award + contract
                        handle.write(orjson.dumps(release) + b"\n")
            summary = ImportSummary()
            start = time.perf_counter()
            import_items(
                items=read_items(path), resolver=EntityResolver(create=False), summary=summary
            )
            elapsed = time.perf_counter() - start
        return _(
            "- Importar %(count)s entregas generadas (JSON Lines, %(per)s por proceso): "
            "%(rate).0f entregas/s (%(seconds).1f s; importadas %(imported)s, "
            "inválidas %(invalid)s)"
        ) % {
            "count": count,
            "per": per_process,
            "rate": summary.imported / elapsed,
            "seconds": elapsed,
            "imported": summary.imported,
            "invalid": summary.invalid,
        }

    def bench_compile(self, runs: int) -> str:
        releases = process_releases("ocds-cidemo-BENCH-COMPILE", 20)
        package = {"uri": "x", "publishedDate": "2025-01-01T00:00:00Z", "version": "1.1"}
        package["releases"] = releases
        schema = patched_release_schema()
        ours_compiled, ours_both, ocdskit = [], [], []
        for _run in range(runs):
            ours_compiled.append(_timed(lambda: get_merger().create_compiled_release(releases)))
            ours_both.append(_timed(lambda: compile_releases(releases)))
            ocdskit.append(_timed(lambda: next(merge([package], schema=schema))))
        return _(
            "- Compilar 20 entregas: nuestra entrega compilada %(ours).2f ms, compilada + "
            "versionada %(both).2f ms; ocdskit.combine.merge %(kit).2f ms; razón "
            "nuestro/ocdskit (compilada) %(ratio).2f"
        ) % {
            "ours": median_ms(ours_compiled),
            "both": median_ms(ours_both),
            "kit": median_ms(ocdskit),
            "ratio": statistics.median(ours_compiled) / statistics.median(ocdskit),
        }


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def _database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"
