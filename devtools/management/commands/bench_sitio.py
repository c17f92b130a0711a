"""``manage.py bench_sitio``: latency of the public process page and search (docs/benchmarks.md).

Not a test. On a throwaway database (created and destroyed by the command, like bench_ocds), it
publishes ``--procesos`` synthetic processes through ``publish_releases`` (six releases each:
planning to implementation), then requests pages through Django's test client and reports the
median and p95 of ``--repeticiones`` runs, with the cache emptied before each run (cold) and,
for the process page, also served from the cache (warm).
"""

import os
import platform
import random
import re
import statistics
import time
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from tqdm import tqdm

from cms.models import Entity
from devtools.generator import Item, ProcessSpec, Supplier, lifecycle_releases
from devtools.throwaway_db import throwaway_database
from ocds_pages.models import ProcessProjection, Release
from ocds_pages.publication import publish_releases

WORDS = [
    ("Adquisición de medicamentos", "25300002", "Caja"),
    ("Servicio de limpieza", "82100001", "Servicio"),
    ("Pavimentación de calles", "72141101", "m2"),
    ("Equipo de cómputo", "51100003", "Pieza"),
    ("Material de curación", "42310000", "Caja"),
    ("Vales de despensa", "84111500", "Vale"),
    ("Mantenimiento de vehículos", "78180000", "Servicio"),
    ("Uniformes escolares", "53100000", "Pieza"),
    ("Combustible para flotilla", "15100000", "Litro"),
    ("Papelería y consumibles", "44120000", "Paquete"),
]
METHODS = [
    ("open", "Licitación pública"),
    ("selective", "Invitación a cuando menos tres personas"),
    ("direct", "Adjudicación directa"),
]
PLACES = ["Oaxaca", "Mérida", "Monterrey", "Tijuana", "Puebla", "León", "Toluca", "Culiacán"]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Mide la latencia de la página de proceso y de la búsqueda pública (no es una prueba)."

    def add_arguments(self, parser):
        parser.add_argument("--procesos", type=int, default=3000, dest="processes")
        parser.add_argument("--entes", type=int, default=10, dest="entities")
        parser.add_argument("--repeticiones", type=int, default=50, dest="runs")

    def handle(self, *args, processes, entities, runs, **options):
        with throwaway_database("bench_sitio"), override_settings(ALLOWED_HOSTS=["testserver"]):
            self.run(processes, entities, runs)

    def run(self, processes: int, entities: int, runs: int):
        started = time.perf_counter()
        self.generate(processes, entities)
        load_seconds = time.perf_counter() - started
        releases = Release.objects.count()
        self.stdout.write(
            f"Base: {connection.vendor} {_database_version()}, {platform.python_version()}, "
            f"{os.cpu_count()} núcleos. Datos: {processes} procesos, {releases} entregas, "
            f"{entities} entes; publicados en {load_seconds:.0f} s."
        )
        self.stdout.write("| página | mediana (ms) | p95 (ms) | resultados |")
        self.stdout.write("|---|---|---|---|")
        for label, url, warm in self.cases():
            self.report(label, url, runs, warm)

    def generate(self, processes: int, entities: int) -> None:
        rng = random.Random(2026)  # noqa: S311 (synthetic data, not security)
        buyers = [
            Entity.objects.create(
                key=f"BENCH{n:02d}",
                name=f"Ente de prueba de rendimiento {n}",
                level="federal",
                rfc=f"BEN{n:02d}0101AB1",
            )
            for n in range(entities)
        ]
        suppliers = [
            Supplier(f"PRV{n:06d}AB1", f"Proveedora {n} de México, S.A.") for n in range(300)
        ]
        for serial in tqdm(range(1, processes + 1), desc="publicando", disable=None):
            entity = buyers[serial % entities]
            spec = self.spec(rng, entity, serial, suppliers)
            publish_releases(releases=lifecycle_releases(spec=spec, entity=entity), entity=entity)

    def spec(self, rng, entity, serial, suppliers) -> ProcessSpec:
        words, cucop, unit = rng.choice(WORDS)
        method, details = rng.choice(METHODS)
        winner = rng.choice(suppliers)
        start = datetime.fromisoformat("2023-01-09T10:00:00-06:00") + timedelta(
            days=rng.randrange(0, 1000)
        )
        return ProcessSpec(
            ocid=f"{settings.OCID_PREFIX}-{entity.key}-{serial:06d}",
            title=f"{words} para {rng.choice(PLACES)} ({serial})",
            description=f"{details} número {serial}.",
            items=[
                Item(
                    f"{words}, partida {n}",
                    cucop,
                    rng.randrange(1, 5000),
                    unit,
                    Decimal(rng.randrange(100, 200000)) / 100,
                )
                for n in range(1, rng.randrange(2, 6))
            ],
            supplier=winner,
            bidders=rng.sample([s for s in suppliers if s != winner], 2),
            method=method,
            method_details=details,
            start=start,
            paid_fraction=Decimal(rng.randrange(0, 100)) / 100,
        )

    def cases(self):
        ocid = ProcessProjection.objects.order_by("pk").values_list("ocid", flat=True)[
            ProcessProjection.objects.count() // 2
        ]
        return [
            ("Proceso (sin caché)", f"/procesos/{ocid}/", False),
            ("Proceso (en caché)", f"/procesos/{ocid}/", True),
            ("Búsqueda sin filtros", "/procesos/", False),
            ("Búsqueda: palabra común («medicamentos»)", "/procesos/?q=medicamentos", False),
            ("Búsqueda: palabra rara («Culiacán 4321»)", "/procesos/?q=culiacan+4321", False),
            ("Búsqueda: parte de palabra («pavimenta»)", "/procesos/?q=pavimenta", False),
            (
                "Búsqueda: ente + procedimiento + año + monto",
                "/procesos/?ente=BENCH03&procedimiento=open&anio=2024&monto_min=10000",
                False,
            ),
            ("Búsqueda: proveedor (RFC)", "/procesos/?proveedor=PRV000042AB1", False),
            ("Búsqueda: clasificación CUCOP", "/procesos/?clasificacion=253", False),
            (
                "Búsqueda: orden por monto, página 50",
                "/procesos/?orden=monto_desc&pagina=50",
                False,
            ),
        ]

    def report(self, label: str, url: str, runs: int, warm: bool) -> None:
        client = Client()
        samples = []
        response = None
        for _ in range(runs):
            if not warm:
                cache.clear()
            begin = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - begin) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url}: {response.status_code}")
        found = re.search(r"(\d+) procesos? encontrados?", response.content.decode())
        count = found.group(1) if found else "—"
        self.stdout.write(
            f"| {label} | {statistics.median(samples):.1f} | {percentile(samples, 0.95):.1f} | "
            f"{count} |"
        )


def _database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]
