"""Results of ``manage.py bench_escala``: the JSON of one size and the table of every size.

``docs/benchmarks/escala-<N>.json`` holds one run (machine, dataset, figures); the section of
``docs/benchmarks.md`` between ``<!-- escala:inicio -->`` and ``<!-- escala:fin -->`` is rebuilt
from all the JSON files present, one column group per dataset size, so the growth from 10k to 100k
(to 1M) processes reads across a row.
"""

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

import orjson
from django.db import connection
from django.utils.translation import gettext as _

from cms.models import Entity
from ocds_pages.models import Record, Release

START, END = "<!-- escala:inicio -->", "<!-- escala:fin -->"
FIGURE_ORDER = [
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
    "publicar_etapa",
    "exportacion",
    "copy_crudo",
    "exportacion_razon",
    "exportacion_rss",
    "evaluar_proceso",
    "recalculo",
    "recalculo_1m",
    "recalculo_nocturno",
    "recalculo_nocturno_1m",
]


# --- machine and dataset ----------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None
    return round(pages * size / 1024**3, 1)


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            # The settings that move these figures most (docs/instalacion.md recommends values).
            settings = []
            for name in ("shared_buffers", "effective_cache_size", "work_mem", "random_page_cost"):
                cursor.execute(f"SHOW {name}")
                settings.append(f"{name} {cursor.fetchone()[0]}")
            return f"PostgreSQL {version} ({', '.join(settings)})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def database_bytes() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        return int(cursor.fetchone()[0])


def machine() -> dict:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "database": database_version(),
    }


def dataset(*, processes: int, entities: int, seed: int, database: str) -> dict:
    return {
        "requested_processes": processes,
        "requested_entities": entities,
        "seed": seed,
        "database": database,
        "entities": Entity.objects.count(),
        "processes": Record.objects.count(),
        "releases": Release.objects.count(),
        "database_bytes": database_bytes(),
    }


# --- writing ------------------------------------------------------------------------------------


def write_json(directory: Path, size: int, result: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"escala-{size}.json"
    path.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    return path


def load_results(directory: Path) -> list[dict]:
    """Every escala-<N>.json in ``directory``, smallest dataset first."""
    results = [orjson.loads(path.read_bytes()) for path in directory.glob("escala-*.json")]
    return sorted(results, key=lambda result: result["dataset"]["requested_processes"])


def update_markdown(path: Path, results: list[dict]) -> None:
    """Replace the text between the markers (or append the markers) with the table."""
    section = f"{START}\n{render(results)}\n{END}"
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
        text = pattern.sub(lambda _match: section, text, count=1)
    else:
        text = f"{text.rstrip()}\n\n{section}\n" if text else f"{section}\n"
    path.write_text(text)


# --- the table ------------------------------------------------------------------------------------


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _target(target: dict | None, unit: str) -> str:
    if not target:
        return "—"
    metric = {"p95": "p95", "median": _("mediana"), "max": _("máx.")}[target["metric"]]
    op = "<" if target["op"] == "<" else "≥"
    return f"{metric} {op} {_number(target['value'])} {unit}"


def _verdict(entry: dict) -> str:
    return {True: "✅", False: "❌", None: ""}[entry.get("pass")]


def _cells(entry: dict | None) -> list[str]:
    if entry is None:
        return ["—", "—", ""]
    return [_number(entry["median"]), _number(entry["p95"]), _verdict(entry)]


def _size(result: dict) -> str:
    return _number(result["dataset"]["requested_processes"])


def _labels(results: list[dict]) -> dict[str, dict]:
    known = {}
    for result in results:
        known |= result["figures"]
    return {key: known[key] for key in FIGURE_ORDER if key in known}


def table(results: list[dict]) -> list[str]:
    header = [_("medición"), _("unidad"), _("meta")]
    for result in results:
        size = _size(result)
        header += [
            _("%(size)s: mediana") % {"size": size},
            _("%(size)s: p95") % {"size": size},
            _("¿cumple?"),
        ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, entry in _labels(results).items():
        row = [entry["label"], entry["unit"], _target(entry["target"], entry["unit"])]
        for result in results:
            row += _cells(result["figures"].get(key))
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _describe(result: dict) -> str:
    data, host = result["dataset"], result["machine"]
    return _(
        "- **%(size)s procesos** (%(date)s): %(entities)s entes, %(processes)s registros, "
        "%(releases)s entregas, base de %(mb)s MB; %(cpu)s, %(cores)s núcleos, %(ram)s GB de RAM, "
        "%(db)s, Python %(python)s; %(runs)s repeticiones (exportación: %(export_runs)s)."
    ) % {
        "size": _size(result),
        "date": result["measured_at"][:10],
        "entities": _number(data["entities"]),
        "processes": _number(data["processes"]),
        "releases": _number(data["releases"]),
        "mb": _number(data["database_bytes"] / 1e6),
        "cpu": host["cpu"],
        "cores": host["cores"],
        "ram": host["ram_gb"],
        "db": host["database"],
        "python": host["python"],
        "runs": result["runs"],
        "export_runs": result["export_runs"],
    }


def _rates(result: dict) -> str:
    """Export and raw COPY throughput, MB of JSON per second (medians)."""
    parts = []
    for key, name in (("exportacion", _("exportación")), ("copy_crudo", _("COPY crudo"))):
        entry = result["figures"].get(key)
        if entry and entry.get("mb_per_s") is not None:
            parts.append(f"{name} {_number(entry['mb_per_s'])} MB/s")
    if not parts:
        return ""
    megabytes = _number(result["figures"]["exportacion"]["bytes"] / 1e6)
    return _(" JSON exportado: %(mb)s MB; %(rates)s.") % {
        "mb": megabytes,
        "rates": ", ".join(parts),
    }


def render(results: list[dict]) -> str:
    if not results:
        return _("_Aún no hay resultados: ejecute `make bench`._")
    lines = [
        _("<!-- Generado por manage.py bench_escala; no lo edite a mano. -->"),
        "",
        *[_describe(result) + _rates(result) for result in results],
        "",
        *table(results),
        "",
        _("Para reproducir cada columna:"),
        "",
        "```bash",
        *[result["command"] for result in results],
        "```",
    ]
    return "\n".join(lines)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
