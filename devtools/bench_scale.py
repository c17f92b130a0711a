"""The measurements of ``manage.py bench_escala`` (issue 10): one function per figure family.

Everything goes through URLs with Django's test client (S6, the OCDS API, the public pages), through
``workflows.processes.process_services`` (publishing a stage, as staff do) or through the bulk
exporter's streaming function in a child process (``devtools.bench_export``), so what is measured is
the code that serves real requests. Each figure is a list of seconds without the warm-up call.
"""

import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qs, urlencode, urlsplit

import orjson
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils.translation import gettext as _

from cms.models import Entity, Membership, OAuthClient, PurchasingUnit
from cms.roles import Role
from devtools.bench_monitoring import measure_monitoring
from devtools.bench_risk import measure_risk
from devtools.demo_processes import Demo, Purchase, planning_values, tender_values
from indicadores.market import services as market_services
from indicadores.market.models import PriceObservation, PriceSummary
from ocds_pages.models import ItemProjection, ProcessProjection, Record, SupplierProjection
from workflows.base.procedures import Stage

S6_URL = "/api/s6/contrataciones-abiertas"
PDN_CLIENT_ID = "bench-escala-pdn"
PDN_SECRET = "bench-escala-secreto"  # noqa: S105 (benchmark database only)
PDN_PASSWORD = "Bench-Escala-Clave-2026"  # noqa: S105 (benchmark database only)
BENCH_ENTITY = "ESCALA"


@dataclass
class Figure:
    """One measured figure: seconds per run (warm-up excluded) and what the responses held."""

    key: str
    label: str
    target: dict | None = None
    samples: list[float] = field(default_factory=list)
    unit: str = "ms"
    statuses: set = field(default_factory=set)
    min_results: int | None = None
    extra: dict = field(default_factory=dict)

    def note(self, status: int, results: int | None = None) -> None:
        self.statuses.add(status)
        if results is not None:
            self.min_results = (
                results if self.min_results is None else min(self.min_results, results)
            )


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the p95 of 20 runs is the 19th smallest, of 30 the 29th)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def timed(call: Callable):
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


# --- values that exist in the dataset ---------------------------------------------------------


def sample_rows(queryset, column: str, count: int, rng: random.Random) -> list:
    """``count`` rows of ``queryset`` spread over ``column`` (an indexed integer column).

    A random position between the smallest and largest value, then the first row at or after it:
    one index probe per row, at any table size (no ORDER BY random(), no deep OFFSET).
    """
    bounds = queryset.order_by(column).values_list(column, flat=True)
    low, high = bounds.first(), bounds.last()
    if low is None:
        return []  # nothing of that kind in the dataset: the figure stays without samples
    rows = []
    for _number in range(count):
        start = rng.randint(low, high)
        row = queryset.filter(**{f"{column}__gte": start}).order_by(column).first()
        rows.append(row or queryset.order_by(column).first())
    return rows


def title_word(title: str) -> str:
    """The longest word of a title (a term people would type), lower case."""
    words = [word.strip(".,;:()«»") for word in title.split()]
    return max(words, key=len).lower()


def s6_bodies(runs: int, rng: random.Random) -> dict[str, list[dict]]:
    """S6 request bodies per figure, one per run (plus the warm-up), from sampled processes."""
    count = runs + 1
    processes = sample_rows(ProcessProjection.objects.all(), "pk", count, rng)
    suppliers = sample_rows(SupplierProjection.objects.all(), "pk", count, rng)
    awarded = sample_rows(
        ItemProjection.objects.filter(section=ItemProjection.Section.AWARD), "pk", count, rng
    )
    dated = sample_rows(
        ProcessProjection.objects.filter(tender_start__isnull=False), "pk", count, rng
    )
    return {
        "s6_sin_filtros": [{"pageSize": 200} for _run in range(count)],
        "s6_titulo": [
            {"pageSize": 200, "query": {"title": title_word(p.title)}} for p in processes
        ],
        "s6_proveedor": [{"pageSize": 200, "query": {"supplierName": s.name}} for s in suppliers],
        "s6_comprador_partida_orden": [
            {
                "pageSize": 200,
                "sort": {"buyerName": "asc"},
                "query": {
                    "buyerName": item.process.buyer_name,
                    "itemDescription": title_word(item.description),
                },
            }
            for item in awarded
        ],
        "s6_metodo": [
            {"pageSize": 200, "query": {"procurementMethod": [p.procurement_method or "direct"]}}
            for p in processes
        ],
        "s6_fechas": [_date_range(p) for p in dated],
    }


def _date_range(process: ProcessProjection) -> dict:
    start = process.tender_start - timedelta(days=30)
    end = (process.tender_end or process.tender_start) + timedelta(days=30)
    return {
        "pageSize": 200,
        "query": {"tenderStartDate": start.isoformat(), "tenderEndDate": end.isoformat()},
    }


# --- S6 ---------------------------------------------------------------------------------------


def pdn_token(client: Client) -> str:
    """A bearer token from OUR /oauth/token/ with the password grant, as the PDN gets one."""
    user, _created = get_user_model().objects.get_or_create(username="bench.escala.pdn")
    user.set_password(PDN_PASSWORD)
    user.save(update_fields=["password"])
    OAuthClient.objects.filter(client_id=PDN_CLIENT_ID).delete()
    OAuthClient.objects.create(
        client_id=PDN_CLIENT_ID,
        client_secret=PDN_SECRET,
        name="PDN (medición de escala)",
        user=user,
        client_type=OAuthClient.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthClient.GRANT_PASSWORD,
        allowed_scopes="read s6",
        pdn_protocol=True,
    )
    fields = {"grant_type": "password", "username": user.username, "password": PDN_PASSWORD}
    fields |= {"client_id": PDN_CLIENT_ID, "client_secret": PDN_SECRET, "scope": "s6"}
    response = client.post("/oauth/token/", fields)
    if response.status_code != 200:
        raise RuntimeError(_("No se obtuvo el token OAuth: %(body)s") % {"body": response.content})
    return response.json()["access_token"]


def measure_s6(client: Client, token: str, figure: Figure, bodies: list[dict]) -> Figure:
    def call(body):
        return client.post(
            S6_URL,
            orjson.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    for body in bodies[:1]:
        call(body)  # warm-up, not counted
    for body in bodies[1:]:
        seconds, response = timed(lambda body=body: call(body))
        figure.samples.append(seconds)
        results = len(response.json().get("results", [])) if response.status_code == 200 else 0
        figure.note(response.status_code, results)
    return figure


def measure_s6_harvest(client: Client, token: str, figure: Figure, bodies: list[dict]) -> Figure:
    """The PDN harvesting a query: page 1 counts and caches the total (not timed), page 2 is
    timed with that total cached, as S6_COUNT_CACHE_SECONDS does in production."""
    with override_settings(S6_COUNT_CACHE_SECONDS=300):
        cache.clear()
        for body in bodies:
            measure_s6(client, token, Figure("", ""), [body])  # counts and caches; not kept
        return measure_s6(client, token, figure, [{**body, "page": 2} for body in bodies])


# --- GET pages (OCDS API and public site) -----------------------------------------------------


def measure_get(client: Client, figure: Figure, urls: list[str], *, cold: bool) -> Figure:
    """GET each URL (the first is the warm-up); ``cold`` empties the cache before each request."""
    for number, url in enumerate(urls):
        if cold:
            cache.clear()
        seconds, response = timed(lambda url=url: client.get(url))
        if number:
            figure.samples.append(seconds)
            figure.note(response.status_code)
    return figure


def ocds_urls(runs: int, rng: random.Random) -> dict[str, list[str]]:
    count = runs + 1
    ocids = [r.ocid for r in sample_rows(Record.objects.all(), "pk", count, rng)]
    return {
        "ocds_entregas": ["/api/ocds/releases/?limit=100"] * count,
        "ocds_registros": ["/api/ocds/records/?limit=100"] * count,
        "ocds_registro": [f"/api/ocds/records/{ocid}/" for ocid in ocids],
    }


def public_urls(runs: int, rng: random.Random) -> dict[str, list[str]]:
    count = runs + 1
    processes = sample_rows(ProcessProjection.objects.all(), "pk", count, rng)
    return {
        "pagina_proceso": [f"/procesos/{p.ocid}/" for p in processes],
        "pagina_busqueda": [
            f"/procesos/?{urlencode({'q': title_word(p.title)})}" for p in processes
        ],
    }


def market_urls(runs: int, rng: random.Random) -> dict[str, list[str]]:
    """Item search by a word of an awarded item's description (the items it names, and the
    basket of all their prices mixed), and the price references and candidate suppliers of CUCoP
    keys that the dataset awarded (the price rows' own values)."""
    count = runs + 1
    rows = PriceObservation.objects.exclude(classification_id="")
    sampled = sample_rows(rows, "pk", count, rng)
    codes = [row.classification_id for row in sampled]
    words = [title_word(row.description or row.classification_id) for row in sampled]
    prices = [f"/api/mercado/precios/?{urlencode({'clasificacion': c})}" for c in codes]
    return {
        "mercado_texto": [f"/api/mercado/partidas/?{urlencode({'texto': w})}" for w in words],
        "mercado_texto_canasta": [
            f"/api/mercado/precios/?{urlencode({'texto': w})}" for w in words
        ],
        "mercado_precios": prices,
        "mercado_precios_recontados": prices,
        "mercado_proveedores": [
            f"/api/mercado/proveedores/?{urlencode({'clasificacion': c})}" for c in codes
        ],
        "mercado_proveedores_recontados": [
            f"/api/mercado/proveedores/?{urlencode({'clasificacion': c})}" for c in codes
        ],
    }


def market_figures() -> list[Figure]:
    target = {"metric": "p95", "op": "<", "value": 300}
    return [
        Figure("mercado_texto", _("Mercado: búsqueda de partidas por texto"), dict(target)),
        Figure(
            "mercado_texto_canasta",
            _("Mercado: precios de todas las partidas que nombra un texto, juntos"),
        ),
        Figure(
            "mercado_precios",
            _("Mercado: precios de referencia de una clave CUCoP (estadísticas guardadas)"),
            dict(target),
        ),
        Figure(
            "mercado_precios_recontados",
            _("Mercado: precios de referencia de una clave CUCoP tras un cambio de sus filas"),
        ),
        Figure(
            "mercado_proveedores",
            _("Mercado: proveedores candidatos de una clave CUCoP (totales guardados)"),
            dict(target),
        ),
        Figure(
            "mercado_proveedores_recontados",
            _("Mercado: proveedores candidatos de una clave CUCoP tras un cambio de sus filas"),
        ),
    ]


def measure_market(client: Client, figure: Figure, urls: list[str]) -> Figure:
    """``measure_get``, plus how many price rows each basket had (what the time grows with).

    The price references and candidate suppliers of a key are read from what is stored with it
    (summaries.py) once stored: ``mercado_precios`` and ``mercado_proveedores`` ask every key
    first and time the reads; the ``_recontados`` figures drop the key's stored row before each
    request, as a change of its rows does, so each request counts the whole basket."""
    if figure.key in ("mercado_precios", "mercado_proveedores"):
        for url in dict.fromkeys(urls):
            client.get(url)
    if figure.key.endswith("_recontados"):
        measure_recounted(client, figure, urls)
    else:
        measure_get(client, figure, urls, cold=False)
    prices = [
        url.replace("/api/mercado/proveedores/", "/api/mercado/precios/").replace(
            "/api/mercado/partidas/", "/api/mercado/precios/"
        )
        for url in urls
    ]
    baskets = [client.get(url).json().get("rowsTotal") for url in prices[1:]]
    baskets = sorted(size for size in baskets if isinstance(size, int))
    if baskets:
        figure.extra |= {
            "filas_canasta_mediana": baskets[len(baskets) // 2],
            "filas_canasta_max": baskets[-1],
        }
    figure.extra["filas_precios"] = PriceObservation.objects.count()
    return figure


def measure_recounted(client: Client, figure: Figure, urls: list[str]) -> None:
    for number, url in enumerate(urls):
        [key] = parse_qs(urlsplit(url).query)["clasificacion"]
        PriceSummary.objects.filter(classification_id=key).delete()
        seconds, response = timed(lambda url=url: client.get(url))
        if number:
            figure.samples.append(seconds)
            figure.note(response.status_code)


def market_steps(runs: int, seed: int) -> Iterator[tuple[str, Callable[[], list]]]:
    """Only the market research (``bench_escala --solo-mercado``), on price rows that are already
    there; it writes only the statistics kept per key (a cache)."""
    rng = random.Random(seed)  # noqa: S311 (choice of query values, not security)
    client = Client()
    urls = market_urls(runs, rng)
    for figure in market_figures():
        yield figure.label, lambda f=figure: [measure_market(client, f, urls[f.key])]


def ensure_prices() -> float | None:
    """The generated dataset is published in bulk, without ``release_published``: build the
    market's price rows once (seconds it took; None when they were there)."""
    if PriceObservation.objects.exists():
        return None
    seconds, _counts = timed(market_services.rebuild)
    return seconds


# --- publishing one stage through the real workflow --------------------------------------------


def bench_people() -> Demo:
    """Entity ESCALA with a purchasing unit, a capturista and an aprobador (created once)."""
    entity, _created = Entity.objects.get_or_create(
        key=BENCH_ENTITY,
        defaults={
            "name": "Ente de la medición de escala",
            "acronym": BENCH_ENTITY,
            "level": "federal",
            "rfc": "ESC260101AA1",
        },
    )
    unit, _created = PurchasingUnit.objects.get_or_create(
        key=f"{BENCH_ENTITY}U01", defaults={"entity": entity, "name": "Unidad de la medición"}
    )
    for role in (Role.CAPTURISTA, Role.APROBADOR):
        user, _created = get_user_model().objects.get_or_create(
            username=f"{role.value}.{BENCH_ENTITY.lower()}"
        )
        Membership.objects.get_or_create(user=user, entity=entity, unit=unit, role=role)
    return Demo(entity)


def purchase(number: int) -> Purchase:
    return Purchase(
        f"Adquisición de medicamentos, medición {number}",
        "Paracetamol tabletas 500 mg, caja con 10",
        100 + number,
        50_000 + number,
        "Medicamentos Mexicanos, S.A. de C.V.",
        "MME920427EM3",
    )


def measure_publish(figure: Figure, runs: int) -> Figure:
    """Create a direct award, approve its planning, capture its tender; time the tender approval."""
    demo = bench_people()
    for number in range(runs + 1):
        p = purchase(number)
        process = demo.create(p, "adjudicacion_directa")
        demo.stage(process, Stage.PLANNING, planning_values(p))
        demo.capture(process, Stage.TENDER, tender_values(p, "direct", 0))
        seconds, release = timed(lambda process=process: demo.approve(process, Stage.TENDER))
        if number:
            figure.samples.append(seconds)
            figure.note(200 if release.pk else 500)
            figure.extra.setdefault("release_ids", []).append(release.release_id)
    return figure


# --- bulk export against a raw COPY, in child processes ----------------------------------------


def child_database() -> dict:
    keys = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
    return {key: str(connection.settings_dict.get(key) or "") for key in keys}


def run_child(mode: str, output: str) -> dict:
    """``python -m devtools.bench_export MODE OUTPUT`` on the same database; its JSON report."""
    env = dict(os.environ, BENCH_ESCALA_DB=json.dumps(child_database()))
    completed = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "devtools.bench_export", mode, output],
        capture_output=True,
        check=False,
        cwd=settings.BASE_DIR,
        env=env,
    )
    if completed.returncode:
        raise RuntimeError(completed.stderr.decode()[-2000:])
    return json.loads(completed.stdout.decode().strip().splitlines()[-1])


def export_runner(mode: str, output: str) -> dict:
    """In a child process when it can see the database; in this one for in-memory SQLite."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        from devtools.bench_export import run

        return run(mode, output)
    return run_child(mode, output)


def measure_export(runs: int) -> dict[str, Figure]:
    """Export vs raw COPY, alternating; the warm-up pair hashes both outputs to compare them."""
    postgres = connection.vendor == "postgresql"
    figures = {
        "exportacion": Figure(
            "exportacion", _("Exportación JSON Lines de entregas compiladas"), unit="s"
        ),
        "exportacion_rss": Figure(
            "exportacion_rss",
            _("Exportación: memoria máxima del proceso (RSS)"),
            {"metric": "max", "op": "<", "value": 250},
            unit="MB",
        ),
    }
    if postgres:
        figures["copy_crudo"] = Figure(
            "copy_crudo", _("COPY crudo del mismo JSON (psycopg)"), unit="s"
        )
        figures["exportacion_razon"] = Figure(
            "exportacion_razon",
            _("Exportación / COPY crudo (razón de velocidades)"),
            {"metric": "median", "op": ">=", "value": 50},
            unit="%",
        )
    figures["exportacion_rss"].extra = {"base_mb": export_runner("idle", os.devnull)["max_rss_mb"]}
    check = export_runner("export-hash", os.devnull)
    figures["exportacion"].extra = {k: check[k] for k in ("lines", "bytes", "sha256")}
    if postgres:
        raw = export_runner("copy-hash", os.devnull)
        figures["copy_crudo"].extra = {k: raw[k] for k in ("lines", "bytes", "sha256")}
    for _run in range(runs):
        _export_pair(figures, postgres)
    for key in ("exportacion", "copy_crudo"):
        if key in figures:
            seconds = statistics.median(figures[key].samples)
            figures[key].extra["mb_per_s"] = round(figures[key].extra["bytes"] / seconds / 1e6, 1)
    return figures


def _export_pair(figures: dict[str, Figure], postgres: bool) -> None:
    exported = export_runner("export", os.devnull)
    figures["exportacion"].samples.append(exported["seconds"])
    figures["exportacion_rss"].samples.append(exported["max_rss_mb"])
    if postgres:
        raw = export_runner("copy", os.devnull)
        figures["copy_crudo"].samples.append(raw["seconds"])
        figures["exportacion_razon"].samples.append(100 * raw["seconds"] / exported["seconds"])


# --- running it all -----------------------------------------------------------------------------


def s6_figures() -> list[Figure]:
    target = {"metric": "p95", "op": "<", "value": 150}
    return [
        Figure("s6_sin_filtros", _("S6 pageSize 200, sin filtros"), target),
        Figure("s6_titulo", _("S6 pageSize 200, palabra del título"), target),
        Figure("s6_proveedor", _("S6 pageSize 200, nombre del proveedor"), target),
        Figure("s6_comprador_partida_orden", _("S6 comprador + partida + orden"), target),
        Figure("s6_metodo", _("S6 pageSize 200, procedimiento"), target),
        Figure("s6_fechas", _("S6 pageSize 200, periodo de licitación"), target),
    ]


def get_figures() -> list[tuple[Figure, bool]]:
    return [
        (Figure("ocds_entregas", _("API OCDS: página de 100 entregas")), False),
        (Figure("ocds_registros", _("API OCDS: página de 100 registros")), False),
        (Figure("ocds_registro", _("API OCDS: un registro por ocid")), False),
        (
            Figure(
                "pagina_proceso",
                _("Página pública de proceso (sin caché)"),
                {"metric": "p95", "op": "<", "value": 100},
            ),
            True,
        ),
        (
            Figure(
                "pagina_busqueda",
                _("Búsqueda pública (sin caché)"),
                {"metric": "p95", "op": "<", "value": 250},
            ),
            True,
        ),
        *((figure, False) for figure in market_figures()),
    ]


def steps(runs: int, export_runs: int, seed: int) -> Iterator[tuple[str, Callable[[], list]]]:
    """(name, step) pairs; each step returns the figures it measured (for the progress bar)."""
    rng = random.Random(seed)  # noqa: S311 (choice of query values, not security)
    client = Client()
    token = pdn_token(client)
    bodies = s6_bodies(runs, rng)
    for figure in s6_figures():
        yield figure.label, lambda f=figure: [measure_s6(client, token, f, bodies[f.key])]
    harvest = Figure(
        "s6_cosecha",
        _("S6 palabra del título, página 2 (total en caché, como al cosechar)"),
        {"metric": "p95", "op": "<", "value": 150},
    )
    yield harvest.label, lambda: [measure_s6_harvest(client, token, harvest, bodies["s6_titulo"])]
    rebuild_seconds = ensure_prices()
    urls = ocds_urls(runs, rng) | public_urls(runs, rng) | market_urls(runs, rng)
    for figure, cold in get_figures():
        if figure.key == "mercado_precios" and rebuild_seconds is not None:
            figure.extra["reconstruir_precios_s"] = round(rebuild_seconds, 2)
        if figure.key.startswith("mercado_"):
            yield figure.label, lambda f=figure: [measure_market(client, f, urls[f.key])]
            continue
        yield figure.label, lambda f=figure, c=cold: [measure_get(client, f, urls[f.key], cold=c)]
    publish = Figure(
        "publicar_etapa",
        _("Publicar una etapa (review_approve)"),
        {"metric": "p95", "op": "<", "value": 300},
    )
    yield publish.label, lambda: [measure_publish(publish, runs)]
    yield _("Exportación masiva"), lambda: list(measure_export(export_runs).values())
    yield _("Tablero de riesgo"), lambda: measure_risk(Figure, runs)
    yield from monitoring_steps(runs)
    yield from engine_steps(runs, seed)


def monitoring_steps(runs: int) -> Iterator[tuple[str, Callable[[], list]]]:
    """Contract monitoring (issue 19): the portfolio dashboards and the entity aggregates."""
    yield _("Tablero de seguimiento de contratos"), lambda: measure_monitoring(Figure, runs)


def risk_steps(runs: int) -> Iterator[tuple[str, Callable[[], list]]]:
    """The risk dashboard alone (issue 17): ``make bench BENCH_ARGS=--solo-riesgo``."""
    yield _("Tablero de riesgo"), lambda: measure_risk(Figure, runs)


def engine_steps(runs: int, seed: int) -> Iterator[tuple[str, Callable[[], list]]]:
    """The indicator engine (issue 15): one process evaluated as on each publication, and the
    full recompute of ``calcular_indicadores`` with its projection to 1,000,000 processes."""
    rng = random.Random(seed)  # noqa: S311 (choice of processes, not security)
    evaluate = Figure(
        "evaluar_proceso",
        _("Indicadores de un proceso publicado (evaluate_record)"),
        {"metric": "p95", "op": "<", "value": 100},
    )
    yield evaluate.label, lambda: [measure_evaluate(evaluate, runs, rng)]
    yield _("Recálculo completo de indicadores"), measure_recompute


def settle(connection) -> None:
    """VACUUM ANALYZE after a bulk load: the state autovacuum reaches on a live installation.

    Without it the planner works from empty statistics, and counts cannot use index-only scans
    (no visibility map yet); measuring that would describe the minutes after a load, not a
    running system.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def measure_evaluate(figure: Figure, runs: int, rng: random.Random) -> Figure:
    """Every indicator on ``runs`` published records spread over the table (first = warm-up)."""
    from indicadores.engine.runner import evaluate_record

    for number, record in enumerate(sample_rows(Record.objects.all(), "pk", runs + 1, rng)):
        seconds, outcomes = timed(lambda record=record: evaluate_record(record))
        if number:
            figure.samples.append(seconds)
            figure.note(200, len(outcomes))
    return figure


def measure_recompute() -> list[Figure]:
    """``calcular_indicadores`` over every record (statistics, alerts and risk index included)
    twice: the first run, which opens the alerts, and after ``settle`` (what autovacuum does
    between two nights) the nightly run, which finds them again. Each time is also scaled
    linearly to 1,000,000 processes."""
    first = _timed_recompute()
    settle(connection)
    nightly = _timed_recompute()
    names = {
        "recalculo": (
            _("Recálculo completo (calcular_indicadores)"),
            _("Recálculo proyectado a 1 000 000 de procesos"),
        ),
        "recalculo_nocturno": (
            _("Corrida nocturna (calcular_indicadores con las alertas ya abiertas)"),
            _("Corrida nocturna proyectada a 1 000 000 de procesos"),
        ),
    }
    figures = []
    for (name, (label, projected_label)), (seconds, extra) in zip(
        names.items(), (first, nightly), strict=True
    ):
        whole = Figure(name, label, unit="s")
        whole.samples.append(seconds)
        projected = Figure(
            f"{name}_1m", projected_label, {"metric": "max", "op": "<", "value": 600}, unit="s"
        )
        projected.samples.append(seconds * 1_000_000 / max(extra["processes"], 1))
        for figure in (whole, projected):
            figure.extra = dict(extra)
            figure.note(200)
            figures.append(figure)
    return figures


def _timed_recompute() -> tuple[float, dict]:
    from indicadores.models import Alert

    processes = Record.objects.count()
    alerts_before = Alert.objects.count()
    seconds, _result = timed(
        lambda: call_command("calcular_indicadores", "--sin-progreso", stdout=StringIO())
    )
    return seconds, {
        "processes": processes,
        "alerts_before": alerts_before,
        "alerts_after": Alert.objects.count(),
        "ms_per_process": round(seconds * 1000 / max(processes, 1), 3),
    }


def summarize(figure: Figure) -> dict:
    """The JSON entry of a figure: median, p95, n, target and whether it holds."""
    scale = 1000 if figure.unit == "ms" else 1
    values = [sample * scale for sample in figure.samples]
    entry = {
        "label": figure.label,
        "unit": figure.unit,
        "n": len(values),
        "median": round(statistics.median(values), 2) if values else None,
        "p95": round(percentile(values, 0.95), 2) if values else None,
        "max": round(max(values), 2) if values else None,
        "target": figure.target,
        "pass": _holds(figure.target, values),
        "status_codes": sorted(figure.statuses),
    }
    if figure.min_results is not None:
        entry["min_results"] = figure.min_results
    return entry | figure.extra


def _holds(target: dict | None, values: list[float]) -> bool | None:
    if not target or not values:
        return None
    metric = {
        "median": statistics.median(values),
        "p95": percentile(values, 0.95),
        "max": max(values),
    }[target["metric"]]
    return metric < target["value"] if target["op"] == "<" else metric >= target["value"]
