"""The indicator recompute as a long job (cms.jobs): the work of ``calcular_indicadores``.

Started for one entity (by its administrator or the national one) it evaluates that entity's
processes against the stored dataset statistics, which describe every entity and are refreshed
by the installation-wide run (no entity), as the command does without ``--sin-estadisticas``.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.jobs import ENTITY, JobKind, JobOutcome, register
from indicadores.engine.core import indicators
from indicadores.recompute import Options, default_workers, recompute


class RecomputeForm(forms.Form):
    rehacer_agregados = forms.BooleanField(
        required=False,
        label=gettext_lazy("Comparar todo y rehacer todos los agregados"),
        help_text=gettext_lazy(
            "Más lento: compara completo cada resultado guardado en lugar de darlo por igual y "
            "rehace las sumas del tablero de riesgo (del ente elegido, o de todos). Úselo si "
            "duda de una cifra del tablero o si se corrigieron resultados a mano."
        ),
    )


def run_recompute(job, progress) -> JobOutcome:
    options = Options(
        codes=[item.code for item in indicators()],
        entity_ids=[job.entity_id] if job.entity_id else None,
        # Forked only where a process may (recompute.can_fork: not in a Celery worker's daemon
        # process nor in the thread of a job run without a queue).
        workers=default_workers(),
        rebuild_aggregates=bool((job.parameters or {}).get("rehacer_agregados")),
    )
    notes = {"statistics": _("Estadísticas del conjunto"), "indicators": _("Indicadores")}

    def stage(name, total):
        progress.note(notes[name])
        progress.done = 0
        progress.set_total(total)

    # Without an entity the statistics are refreshed first; with one the stored ones are used.
    summary = recompute(
        options, statistics=not job.entity_id, progress=stage, advance=progress.advance
    )
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
        form_class=RecomputeForm,
        scope=ENTITY,
        command="calcular_indicadores",
    )
)
