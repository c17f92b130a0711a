"""Contract monitoring figures of ``bench_escala`` (issue 19): the portfolio dashboard of the
largest entity (as its OIC) and of that entity's largest purchasing unit (as a member of the
unit), the national view, and the entity aggregates of the public API.

The rows come from ``calcular_indicadores`` (its batches refresh them, ``indicadores.monitoring.
store``); on a database whose processes have none yet it runs once first, and its time is
reported as ``seguimiento_calculo``.
"""

import time

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils.translation import gettext as _

from cms.models import Entity, Membership, PurchasingUnit
from cms.roles import Role
from devtools.bench_risk import measure_url, person
from indicadores.monitoring.models import MonitoredContract
from ocds_pages.models import Record

URL = "/tramite/seguimiento/"
API_URL = "/api/seguimiento/entes/"
TARGET = {"metric": "p95", "op": "<", "value": 500}


def _ensure_rows(figure_class) -> list:
    # Generated data is bulk-published without the engine: the rows exist once
    # calcular_indicadores ran (the risk step runs it first in a full ``make bench``).
    if MonitoredContract.objects.exists() or not Record.objects.exists():
        return []
    started = time.perf_counter()
    call_command("calcular_indicadores", "--sin-progreso", stdout=open("/dev/null", "w"))  # noqa: SIM115
    figure = figure_class("seguimiento_calculo", _("calcular_indicadores con el seguimiento"))
    figure.unit, figure.samples = "s", [time.perf_counter() - started]
    figure.extra = {"contratos": MonitoredContract.objects.count()}
    figure.note(200)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the new rows, for the planner
    return [figure]


def _largest(queryset, field: str) -> tuple[int | None, int]:
    row = (
        queryset.exclude(**{field: None})
        .values(field)
        .annotate(n=Count("pk"))
        .order_by("-n", field)
        .first()
    )
    return (row[field], row["n"]) if row else (None, 0)


def _logged_in(username: str, **fields) -> Client:
    client = Client()
    client.force_login(person(username, **fields))
    return client


def measure_monitoring(figure_class, runs: int) -> list:
    figures = _ensure_rows(figure_class)
    entity_id, contracts = _largest(MonitoredContract.objects.all(), "entity")
    entity = Entity.objects.filter(pk=entity_id).first()
    if entity is not None:
        oic = person("oic.bench.seguimiento")
        Membership.objects.get_or_create(user=oic, entity=entity, unit=None, role=Role.OIC)
        client = Client()
        client.force_login(oic)
        extra = {"ente": entity.key, "contratos_del_ente": contracts}
        for key, label, url in (
            ("seguimiento_tablero_ente", _("Tablero de seguimiento, ente más grande"), URL),
            (
                "seguimiento_tablero_ente_atrasados",
                _("Tablero de seguimiento, ente más grande, sólo contratos con atraso"),
                f"{URL}?estado=atrasado",
            ),
        ):
            figure = figure_class(key, label, TARGET)
            figure.extra = extra
            figures.append(measure_url(figure, client, url, runs))
        unit_id, unit_contracts = _largest(MonitoredContract.objects.filter(entity=entity), "unit")
        unit = PurchasingUnit.objects.filter(pk=unit_id).first()
        if unit is not None:
            member = person("unidad.bench.seguimiento")
            Membership.objects.get_or_create(
                user=member, entity=entity, unit=unit, role=Role.CAPTURISTA
            )
            figure = figure_class(
                "seguimiento_tablero_unidad",
                _("Tablero de seguimiento, su unidad más grande (administrador de contratos)"),
                TARGET,
            )
            figure.extra = {"unidad": unit.key, "contratos_de_la_unidad": unit_contracts}
            unit_client = Client()
            unit_client.force_login(member)
            figures.append(measure_url(figure, unit_client, URL, runs))
    national = _logged_in("nacional.bench.seguimiento", is_superuser=True, is_staff=True)
    figure = figure_class(
        "seguimiento_tablero_nacional", _("Tablero de seguimiento, vista nacional"), TARGET
    )
    figures.append(measure_url(figure, national, URL, runs))
    figure = figure_class(
        "seguimiento_api_entes", _("API de seguimiento por ente (anónima, primera página)"), TARGET
    )
    figures.append(measure_url(figure, Client(), API_URL, runs))
    return figures
