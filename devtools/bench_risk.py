"""Risk dashboard figures of ``bench_escala`` (issue 17): the OIC dashboard of the largest entity,
the same cut by procedure type, and the national view, whole and cut by procedure type (every
figure read from the stored cuts, ``RiskCut``; the suppliers from ``SupplierRisk``).

If the benchmark database's processes lack their index, ``calcular_indicadores`` builds it first
(its time is reported as ``riesgo_calculo``); the rebuild of the aggregates alone is timed too.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.utils.translation import gettext as _

from cms.models import Entity, Membership
from cms.roles import Role
from indicadores.risk import counts, services
from indicadores.risk.models import ProcessRisk
from ocds_pages.models import Record

URL = "/tramite/riesgo/"
TARGET = {"metric": "p95", "op": "<", "value": 500}


def _ensure_index(figure_class) -> list:
    figures = []
    # Generated data is bulk-published without the engine; only the processes published while
    # measuring (publicar_etapa) would have an index.
    if ProcessRisk.objects.count() < Record.objects.count():
        started = time.perf_counter()
        call_command("calcular_indicadores", "--sin-progreso", stdout=open("/dev/null", "w"))  # noqa: SIM115
        figure = figure_class("riesgo_calculo", _("calcular_indicadores con el índice de riesgo"))
        figure.unit, figure.samples = "s", [time.perf_counter() - started]
        figures.append(figure)
        if connection.vendor == "postgresql":
            # The index and the alerts were written after the suite settled the database;
            # without fresh statistics the planner takes the new tables for empty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    started = time.perf_counter()
    services.rebuild()
    rebuild = figure_class("riesgo_agregados", _("Rehacer los agregados del índice (todos)"))
    rebuild.unit, rebuild.samples = "s", [time.perf_counter() - started]
    rebuild.extra = {"procesos": ProcessRisk.objects.count()}
    figures.append(rebuild)
    # The set-based parts of that rebuild, alone (INSERT … SELECT … GROUP BY).
    for key, label, step in (
        ("riesgo_conteos_alertas", _("Rehacer los conteos de alertas por corte"), counts.rebuild),
        (
            "riesgo_proveedores_cortes",
            _("Rehacer las sumas de proveedores por corte"),
            counts.rebuild_suppliers,
        ),
        (
            "riesgo_banderas_proveedores",
            _("Rehacer las banderas de proveedores por corte"),
            counts.rebuild_flags,
        ),
    ):
        started = time.perf_counter()
        with transaction.atomic():
            rows = step()
        figure = figure_class(key, label)
        figure.unit, figure.samples = "s", [time.perf_counter() - started]
        figure.extra = {"filas": rows}
        figures.append(figure)
    if connection.vendor == "postgresql":
        # Rewritten wholesale: fresh statistics, as the autovacuum leaves them in a running
        # installation (without them the planner took the flag counts for a small table).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return figures


def person(username: str, **fields):
    user, _created = get_user_model().objects.get_or_create(username=username, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


def measure_url(figure, client: Client, url: str, runs: int):
    for number in range(runs + 1):  # the first is the warm-up
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
        if number:
            figure.samples.append(seconds)
            figure.note(response.status_code)
    return figure


def measure_risk(figure_class, runs: int) -> list:
    figures = _ensure_index(figure_class)
    largest = Record.objects.values("entity").annotate(n=Count("pk")).order_by("-n").first() or {}
    entity = Entity.objects.filter(pk=largest.get("entity")).first()
    if entity is not None:
        oic = person("oic.bench.riesgo")
        Membership.objects.get_or_create(user=oic, entity=entity, unit=None, role=Role.OIC)
        client = Client()
        client.force_login(oic)
        extra = {"ente": entity.key, "procesos_del_ente": largest["n"]}
        for key, label, url in (
            ("tablero_riesgo_ente", _("Tablero de riesgo, ente más grande"), URL),
            (
                "tablero_riesgo_ente_directas",
                _("Tablero de riesgo, ente más grande, sólo adjudicaciones directas"),
                f"{URL}?procedimiento=direct",
            ),
        ):
            figure = figure_class(key, label, TARGET)
            figure.extra = extra
            figures.append(measure_url(figure, client, url, runs))
    national = Client()
    national.force_login(person("nacional.bench.riesgo", is_superuser=True, is_staff=True))
    for key, label, url in (
        ("tablero_riesgo_nacional", _("Tablero de riesgo, vista nacional"), URL),
        (
            "tablero_riesgo_nacional_directas",
            _("Tablero de riesgo, vista nacional, sólo adjudicaciones directas"),
            f"{URL}?procedimiento=direct",
        ),
    ):
        figure = figure_class(key, label, TARGET)
        figure.extra = {"entes": Entity.objects.count()}
        figures.append(measure_url(figure, national, url, runs))
    return figures
