"""The long jobs of the market research (cms.jobs): rebuilding the price rows."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.jobs import JobKind, JobOutcome, register
from indicadores.market import services


def run_rebuild(job, progress) -> JobOutcome:
    progress.set_total(services.rebuild_total())
    counts = services.rebuild(progress=progress.advance)
    summary = (
        _(
            "Precios unitarios: %(prices)s filas de %(records)s procesos publicados y "
            "%(references)s registros de referencia."
        )
        % counts
    )
    return JobOutcome(summary=summary, result=counts)


register(
    JobKind(
        key="reconstruir_precios",
        label=gettext_lazy("Reconstruir precios unitarios"),
        description=gettext_lazy(
            "Rehace la tabla de precios unitarios de la investigación de mercado a partir de los "
            "registros publicados y de los datos de referencia."
        ),
        run=run_rebuild,
        command="reconstruir_precios",
    )
)
