"""``manage.py bench_escala``: the scale benchmark of issue 10 (``make bench``; not a test).

On a persistent generated dataset — PostgreSQL database ``<name>_escala_<N>``, created, migrated
and filled with ``generar_datos`` when missing or incomplete, reused afterwards (``--regenerar``
rebuilds it) — it measures S6 searches, the OCDS API, the public pages, publishing one stage
through the real workflow and the bulk export against a raw COPY, and writes
``docs/benchmarks/escala-<N>.json`` plus the table of every size in ``docs/benchmarks.md``.
``--en-esta-base`` measures the current database instead (the smoke test uses it).
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from tqdm import tqdm

from devtools import bench_report as report
from devtools import bench_scale as bench
from ocds_pages.models import Record

MARKER_KEYS = ("procesos", "entes", "semilla")


class Command(BaseCommand):
    help = _(
        "Mide S6, la API OCDS, el sitio público, la publicación de una etapa y la exportación "
        "masiva sobre un conjunto generado persistente, y escribe docs/benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--procesos",
            type=int,
            default=10_000,
            dest="processes",
            help=_("Procesos del conjunto generado (10 000)."),
        )
        parser.add_argument(
            "--entes", type=int, default=1500, dest="entities", help=_("Entes (1 500).")
        )
        parser.add_argument(
            "--semilla", type=int, default=1, dest="seed", help=_("Semilla del generador (1).")
        )
        parser.add_argument(
            "--repeticiones",
            type=int,
            default=30,
            dest="runs",
            help=_("Peticiones medidas por cifra, sin contar la de calentamiento (30)."),
        )
        parser.add_argument(
            "--repeticiones-exportacion",
            type=int,
            default=3,
            dest="export_runs",
            help=_("Corridas de la exportación masiva y del COPY crudo (cada una lee todo)."),
        )
        parser.add_argument(
            "--regenerar",
            action="store_true",
            dest="regenerate",
            help=_("Borra y vuelve a generar la base de la medición."),
        )
        parser.add_argument(
            "--en-esta-base",
            action="store_true",
            dest="here",
            help=_("Mide la base actual (la genera sólo si no tiene procesos)."),
        )
        parser.add_argument(
            "--salida",
            type=Path,
            default=Path(settings.BASE_DIR) / "docs",
            dest="output",
            help=_("Carpeta de benchmarks.md; los JSON van en su subcarpeta benchmarks/."),
        )
        parser.add_argument(
            "--solo-indicadores",
            action="store_true",
            dest="engine_only",
            help=_(
                "Mide sólo el motor de indicadores y conserva las demás cifras ya guardadas de "
                "ese tamaño."
            ),
        )
        parser.add_argument(
            "--solo-seguimiento",
            action="store_true",
            dest="monitoring_only",
            help=_(
                "Mide sólo el seguimiento de contratos y conserva las demás cifras ya guardadas "
                "de ese tamaño."
            ),
        )
        parser.add_argument(
            "--solo-mercado",
            action="store_true",
            dest="market_only",
            help=_(
                "Mide sólo la investigación de mercado (búsqueda de partidas, precios de "
                "referencia, proveedores candidatos); en la base sólo escribe las estadísticas "
                "guardadas por clave: necesita la tabla de precios ya construida; escribe "
                "benchmarks/mercado-<N>.json."
            ),
        )
        parser.add_argument(
            "--solo-riesgo",
            action="store_true",
            dest="risk_only",
            help=_(
                "Mide sólo el tablero de riesgo y conserva las demás cifras ya guardadas de ese "
                "tamaño."
            ),
        )
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            dest="no_progress",
            help=_("No mostrar la barra de progreso."),
        )

    def handle(self, *args, processes, entities, seed, runs, export_runs, **options):
        if min(processes, entities, runs, export_runs) < 1:
            raise CommandError(_("Los números deben ser mayores que cero."))
        self.no_progress = options["no_progress"]
        if options["here"]:
            database = connection.settings_dict["NAME"]
            self.fill_here(processes, entities, seed)
        else:
            database = self.use_scale_database(processes, entities, seed, options["regenerate"])
        if options["market_only"]:
            self.market_only(processes, runs, seed, str(database), options["output"])
            return
        warm(connection)
        self.engine_only = options["engine_only"]
        self.monitoring_only = options["monitoring_only"]
        self.risk_only = options["risk_only"]
        with override_settings(**measuring_settings()):
            figures = self.measure(runs, export_runs, seed)
        result = {
            "measured_at": report.now(),
            "runs": runs,
            "export_runs": export_runs,
            "machine": report.machine(),
            "dataset": report.dataset(
                processes=processes, entities=entities, seed=seed, database=str(database)
            ),
            "figures": self.kept_figures(options["output"], processes)
            | {figure.key: bench.summarize(figure) for figure in figures},
            "command": reproduce(processes, entities, seed, runs, export_runs),
        }
        self.write(options["output"], processes, result)

    # --- the dataset ------------------------------------------------------------------------

    def fill_here(self, processes: int, entities: int, seed: int) -> None:
        if not Record.objects.exists():
            self.generate(processes, entities, seed)

    def use_scale_database(self, processes, entities, seed, regenerate) -> str:
        if connection.vendor != "postgresql":
            raise CommandError(
                _(
                    "La medición de escala usa PostgreSQL (DATABASE_URL=postgres://…) o "
                    "--en-esta-base."
                )
            )
        name = f"{connection.settings_dict['NAME']}_escala_{processes}"
        wanted = dict(zip(MARKER_KEYS, (processes, entities, seed), strict=True))
        if not regenerate and database_marker(name) == wanted:
            switch_database(name)
            if generated_processes() >= processes:
                self.stdout.write(_("Se reutiliza la base %(name)s.") % {"name": name})
                return name
        self.rebuild(name, processes, entities, seed)
        set_marker(name, wanted)
        return name

    def rebuild(self, name: str, processes: int, entities: int, seed: int) -> None:
        self.stdout.write(_("Generando la base %(name)s…") % {"name": name})
        connection.close()  # no session may stay on the database that is dropped
        with connection._nodb_cursor() as cursor:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted}")
        switch_database(name)
        call_command("migrate", verbosity=0, interactive=False)
        self.generate(processes, entities, seed)

    def generate(self, processes: int, entities: int, seed: int) -> None:
        started = time.perf_counter()
        arguments = ["--entes", str(entities), "--procesos", str(processes), "--semilla", str(seed)]
        if self.no_progress:
            arguments.append("--sin-progreso")
        call_command("generar_datos", *arguments, stdout=self.stdout)
        bench.settle(connection)
        self.stdout.write(
            _("Datos generados en %(seconds).0f s.") % {"seconds": time.perf_counter() - started}
        )

    # --- measuring and writing ------------------------------------------------------------------

    def market_only(self, processes: int, runs: int, seed: int, database: str, output: Path):
        """The market figures alone (no prewarm, no rebuild): the only rows written are the
        statistics kept per CUCoP key (indicadores/market/summaries.py), a cache."""
        from indicadores.market.models import PriceObservation

        if not PriceObservation.objects.exists():
            raise CommandError(
                _("La base no tiene precios unitarios: corra antes manage.py reconstruir_precios.")
            )
        figures = []
        with override_settings(**measuring_settings()):
            for _label, step in bench.market_steps(runs, seed):
                figures += step()
        result = {
            "measured_at": report.now(),
            "runs": runs,
            "machine": report.machine(),
            "dataset": {"processes": Record.objects.count(), "database": database},
            "figures": {figure.key: bench.summarize(figure) for figure in figures},
            "command": f"manage.py bench_escala --en-esta-base --solo-mercado --procesos "
            f"{processes} --repeticiones {runs} --semilla {seed}",
        }
        folder = output / "benchmarks"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"mercado-{processes}.json"
        path.write_text(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        self.stdout.write(summary(result))
        self.stdout.write(_("Resultados en %(path)s.") % {"path": path})

    def measure(self, runs: int, export_runs: int, seed: int) -> list:
        if self.engine_only:
            steps = list(bench.engine_steps(runs, seed))
        elif self.monitoring_only:
            steps = list(bench.monitoring_steps(runs))
        elif self.risk_only:
            steps = list(bench.risk_steps(runs))
        else:
            steps = list(bench.steps(runs, export_runs, seed))
        figures = []
        with tqdm(total=len(steps), desc=_("Mediciones"), disable=self.no_progress) as bar:
            for label, step in steps:
                bar.set_postfix_str(label[:40])
                figures += step()
                bar.update(1)
        return figures

    def kept_figures(self, output: Path, processes: int) -> dict:
        """With --solo-indicadores, --solo-seguimiento or --solo-riesgo, the figures already
        measured at this size."""
        path = output / "benchmarks" / f"escala-{processes}.json"
        if not (self.engine_only or self.monitoring_only or self.risk_only) or not path.exists():
            return {}
        return json.loads(path.read_text())["figures"]

    def write(self, output: Path, processes: int, result: dict) -> None:
        path = report.write_json(output / "benchmarks", processes, result)
        report.update_markdown(output / "benchmarks.md", report.load_results(output / "benchmarks"))
        self.stdout.write(summary(result))
        self.stdout.write(_("Resultados en %(path)s.") % {"path": path})


def measuring_settings() -> dict:
    """DEBUG off, no throttling, and S6 counts every time (the worst case, a query's page 1)."""
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], client=None, anon=None)
    rates |= {"user": None}
    return {
        "DEBUG": False,
        "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],
        "S6_COUNT_CACHE_SECONDS": 0,
        "OCDS_API_WATERMARK_SECONDS": 0,
        "REST_FRAMEWORK": {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates},
    }


WORKING_SET = (
    "ocds_pages_processprojection",
    "ocds_pages_supplierprojection",
    "ocds_pages_itemprojection",
)


def warm(connection) -> None:
    """Load the query projections and their indexes into PostgreSQL's buffers (pg_prewarm).

    A server in use keeps what its searches read in memory; right after a restart or a load the
    first queries would read it from disk and measure that instead. Without the pg_prewarm
    extension (contrib) nothing is loaded and the run says so in its figures' spread.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except DatabaseError:
            return
        for table in WORKING_SET:
            cursor.execute(
                "SELECT pg_prewarm(c.oid) FROM pg_class c WHERE c.oid = %s::regclass "
                "UNION ALL SELECT pg_prewarm(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass",
                [table, table],
            )


def switch_database(name: str) -> None:
    """Point the default connection at ``name`` (as bench_api's throwaway database does)."""
    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name


def database_marker(name: str) -> dict | None:
    """The parameters the database was generated with (its COMMENT), None if absent."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
    try:
        return json.loads(row[0]) if row and row[0] else None
    except ValueError:
        return None


def set_marker(name: str, marker: dict) -> None:
    """Written after generation only, so an interrupted one is rebuilt next time."""
    with connection.cursor() as cursor:
        literal = json.dumps(marker).replace("'", "''")
        cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(name)} IS '{literal}'")


def generated_processes() -> int:
    """Processes of the generator: every record but those this command published itself."""
    return Record.objects.exclude(entity__key=bench.BENCH_ENTITY).count()


def reproduce(processes: int, entities: int, seed: int, runs: int, export_runs: int) -> str:
    return (
        f"make bench BENCH_PROCESOS={processes} BENCH_ENTES={entities} BENCH_SEMILLA={seed} "
        f"BENCH_REPETICIONES={runs} BENCH_REPETICIONES_EXPORTACION={export_runs}"
    )


def summary(result: dict) -> str:
    lines = ["", _("Resumen (mediana / p95):")]
    for entry in result["figures"].values():
        verdict = {True: _("cumple"), False: _("NO cumple"), None: ""}[entry["pass"]]
        lines.append(
            f"  {entry['label']}: {entry['median']} / {entry['p95']} {entry['unit']} "
            f"(n={entry['n']}) {verdict}"
        )
    return "\n".join(lines)
