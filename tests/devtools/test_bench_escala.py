"""``bench_escala`` at tiny size in the test database: every figure measured, real responses.

No timing assertions: the smoke test checks that each measurement did what it claims (S6 answered
with results, the export emitted every compiled release, byte for byte, the stage was published).
Transactional, because on PostgreSQL the export runs in a child process that must see the data;
one run (about 10 s) checked from every side, rather than one run per check.
"""

import hashlib
import io

import orjson
import pytest
from django.core.management import call_command
from django.db import connection

from devtools.bench_report import END, START
from ocds_pages.models import Record, Release

RUNS = 2
TIMED = [
    "s6_sin_filtros",
    "s6_titulo",
    "s6_proveedor",
    "s6_comprador_partida_orden",
    "s6_metodo",
    "s6_fechas",
    "s6_cosecha",
    "ocds_entregas",
    "ocds_registros",
    "ocds_registro",
    "pagina_proceso",
    "pagina_busqueda",
    "mercado_texto",
    "mercado_texto_canasta",
    "mercado_precios",
    "mercado_precios_recontados",
    "mercado_proveedores",
    "mercado_proveedores_recontados",
    "publicar_etapa",
    "evaluar_proceso",
    "tablero_riesgo_ente",
    "tablero_riesgo_ente_directas",
    "tablero_riesgo_nacional",
    "tablero_riesgo_nacional_directas",
    "seguimiento_tablero_ente",
    "seguimiento_tablero_ente_atrasados",
    "seguimiento_tablero_unidad",
    "seguimiento_tablero_nacional",
    "seguimiento_api_entes",
]
# The index built and rebuilt, and the set-based parts of the rebuild, timed once.
ONCE = ["riesgo_calculo", "riesgo_agregados", "riesgo_conteos_alertas"]
ONCE += ["riesgo_proveedores_cortes", "riesgo_banderas_proveedores"]
EXPORT = ["exportacion", "exportacion_rss"]
# Two runs of calcular_indicadores: the first (opens the alerts) and the nightly one.
RECOMPUTE = ["recalculo", "recalculo_1m", "recalculo_nocturno", "recalculo_nocturno_1m"]
POSTGRES_ONLY = ["copy_crudo", "exportacion_razon"]

# Transactional (the export runs in a child process that must see the data), without
# serialized_rollback: its flush skips post_migrate, which left the next transactional test of
# the worker without content types or groups. The test installs the forms it needs itself.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_bench(tmp_path) -> dict:
    # A transactional test elsewhere in this worker may have flushed the shipped forms.
    call_command("instalar_formularios", verbosity=0)
    call_command(
        "bench_escala",
        "--en-esta-base",
        "--procesos=40",
        "--entes=3",
        f"--repeticiones={RUNS}",
        f"--repeticiones-exportacion={RUNS}",
        f"--salida={tmp_path}",
        "--sin-progreso",
        stdout=io.StringIO(),
    )
    return orjson.loads((tmp_path / "benchmarks" / "escala-40.json").read_bytes())


def expected_figures() -> list[str]:
    return TIMED + EXPORT + ONCE + (POSTGRES_ONLY if connection.vendor == "postgresql" else [])


def check_every_figure_is_measured_the_given_number_of_times(result):
    figures = result["figures"]
    assert set(figures) == set(expected_figures() + RECOMPUTE)
    for key in RECOMPUTE:
        assert figures[key]["n"] == 1 and figures[key]["processes"] == Record.objects.count()
    assert figures["recalculo_1m"]["median"] > figures["recalculo"]["median"]
    assert figures["recalculo_nocturno_1m"]["median"] > figures["recalculo_nocturno"]["median"]
    # The nightly run finds the alerts the first one opened.
    nightly = figures["recalculo_nocturno"]
    assert nightly["alerts_before"] == figures["recalculo"]["alerts_after"] > 0
    for key in expected_figures():
        assert figures[key]["n"] == (1 if key in ONCE else RUNS), key
        assert figures[key]["median"] >= 0 and figures[key]["p95"] >= figures[key]["median"] >= 0
    for key in TIMED:
        assert figures[key]["status_codes"] == [200], key
    assert result["dataset"]["processes"] == Record.objects.count() > 40


def check_s6_queries_use_values_of_the_dataset_and_find_results(result):
    for key in TIMED[:6]:
        assert result["figures"][key]["min_results"] > 0, key


def check_the_monitoring_dashboards_read_the_largest_entity_and_unit(result):
    entity = result["figures"]["seguimiento_tablero_ente"]
    unit = result["figures"]["seguimiento_tablero_unidad"]
    assert entity["contratos_del_ente"] >= unit["contratos_de_la_unidad"] > 0


def check_export_emits_every_compiled_release_unchanged(result):
    export = result["figures"]["exportacion"]
    assert export["lines"] == Record.objects.count()
    if connection.vendor == "postgresql":
        assert export["sha256"] == result["figures"]["copy_crudo"]["sha256"]
        assert export["bytes"] == result["figures"]["copy_crudo"]["bytes"]
    texts = Record.objects.order_by("pk").values_list("compiled_release", flat=True)
    expected = b"".join(text.encode() + b"\n" for text in texts)
    assert export["sha256"] == hashlib.sha256(expected).hexdigest()
    assert result["figures"]["exportacion_rss"]["base_mb"] > 0


def check_the_published_stage_stored_a_release(result):
    ids = result["figures"]["publicar_etapa"]["release_ids"]
    assert len(ids) == RUNS
    releases = Release.objects.filter(release_id__in=ids)
    assert releases.count() == RUNS
    assert all("tender" in release.tags for release in releases)


def check_results_are_written_as_json_and_markdown_table(result, tmp_path):
    text = (tmp_path / "benchmarks.md").read_text()
    assert START in text and END in text
    assert "40: p95" in text and "bench_escala" in text
    assert result["machine"]["cores"] >= 1 and result["machine"]["python"]
    assert result["command"].startswith("make bench BENCH_PROCESOS=40")


def check_the_market_alone_reads_baskets_and_writes_its_own_file(tmp_path):
    """--solo-mercado: the market figures only, read from the price rows the full run built."""
    from indicadores.market.models import PriceObservation, PriceSummary

    rows = PriceObservation.objects.count()
    call_command(
        "bench_escala",
        "--en-esta-base",
        "--solo-mercado",
        "--procesos=40",
        f"--repeticiones={RUNS}",
        f"--salida={tmp_path}",
        "--sin-progreso",
        stdout=io.StringIO(),
    )
    market = orjson.loads((tmp_path / "benchmarks" / "mercado-40.json").read_bytes())
    assert set(market["figures"]) == {
        "mercado_texto",
        "mercado_texto_canasta",
        "mercado_precios",
        "mercado_precios_recontados",
        "mercado_proveedores",
        "mercado_proveedores_recontados",
    }
    for entry in market["figures"].values():
        assert entry["n"] == RUNS and entry["status_codes"] == [200]
        assert entry["filas_precios"] == rows > 0 and entry["filas_canasta_max"] > 0
    assert PriceObservation.objects.count() == rows  # no price row written
    # Only the statistics kept per key (a cache): every key measured has its own, stored again
    # after the recounted figure dropped it.
    assert PriceSummary.objects.count() >= 1


def test_bench_escala_at_tiny_size_measures_every_figure(tmp_path):
    result = run_bench(tmp_path)
    check_every_figure_is_measured_the_given_number_of_times(result)
    check_s6_queries_use_values_of_the_dataset_and_find_results(result)
    check_the_monitoring_dashboards_read_the_largest_entity_and_unit(result)
    check_export_emits_every_compiled_release_unchanged(result)
    check_the_published_stage_stored_a_release(result)
    check_results_are_written_as_json_and_markdown_table(result, tmp_path)
    check_the_market_alone_reads_baskets_and_writes_its_own_file(tmp_path)
