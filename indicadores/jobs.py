"""The indicator recompute as a long job (cms.jobs): the work of ``calcular_indicadores``.

Started for one entity (by its administrator or the national one) it evaluates that entity's
processes against the stored dataset statistics, which describe every entity and are refreshed
by the installation-wide run (no entity), as the command does without ``--sin-estadisticas``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.jobs import ENTITY, JobKind, JobOutcome, register
from indicadores import alerts
from indicadores.engine.core import indicators
from indicadores.engine.runner import STATISTIC_CODES, compute_statistics, run
from indicadores.risk.services import during_run
from ocds_pages.models import Record


def run_recompute(job, progress) -> JobOutcome:
    selected = indicators()
    queryset = Record.objects.all()
    if job.entity_id:
        queryset = queryset.filter(entity_id=job.entity_id)
    elif STATISTIC_CODES & {item.code for item in selected}:
        progress.note(_("Estadísticas del conjunto"))
        progress.set_total(Record.objects.count())
        compute_statistics(progress=progress.advance)
        progress.done = 0
    progress.note(_("Indicadores"))
    progress.set_total(queryset.count())
    # The risk index (indicadores/risk/) is rebuilt from the same evaluations.
    with (
        during_run(selected=selected, send=True, whole=not job.entity_id),
        alerts.collecting(),  # alerts a batch at a time, one notice per entity
    ):
        summary = run(queryset=queryset, selected=selected, send=True, progress=progress.advance)
    lines = [
        _("Procesos evaluados: %(count)s en %(seconds).1f s")
        % {"count": summary.processes, "seconds": summary.seconds}
    ]
    for row in summary.rows:
        share = "—" if row.share is None else f"{row.share:.1%}"
        lines.append(
            _("%(code)s: %(flagged)s de %(eligible)s señalados (%(share)s)")
            % {"code": row.code, "flagged": row.flagged, "eligible": row.eligible, "share": share}
        )
    result = {
        "processes": summary.processes,
        "seconds": round(summary.seconds, 3),
        "indicators": [row.as_dict() for row in summary.rows],
    }
    return JobOutcome(summary="\n".join(lines), result=result)


register(
    JobKind(
        key="calcular_indicadores",
        label=gettext_lazy("Calcular indicadores"),
        description=gettext_lazy(
            "Evalúa las banderas rojas de los procesos publicados y actualiza las alertas; sin "
            "ente, de toda la instalación y con sus estadísticas."
        ),
        run=run_recompute,
        scope=ENTITY,
        command="calcular_indicadores",
    )
)
