"""The long jobs of the frontiers (cms.jobs): the registry sync and the SAT's 69-B list import.

Each provider resumes from its last failed run's checkpoint (integraciones/sync.py) unless the job
asks to start over, so a scheduled sync that a PDN outage interrupted continues where it stopped.
The 69-B import does what ``importar_69b`` did by hand (integraciones/sat69b.py), with its
taxpayers counted on the job's progress bar; the command now runs this same job.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cms.jobs import JobError, JobKind, JobOutcome, register
from integraciones.exceptions import RegistryError
from integraciones.models import RegistrySystem, SyncRun
from integraciones.sat69b import Sat69bSummary, sat69b_import
from integraciones.sync import providers_select, registry_sync


class RegistrySyncForm(forms.Form):
    system = forms.ChoiceField(
        label=gettext_lazy("Sistema"),
        choices=[("", gettext_lazy("Todos"))] + list(RegistrySystem.choices),
        required=False,
        help_text=gettext_lazy("Sólo los proveedores de este sistema."),
    )
    provider = forms.CharField(
        label=gettext_lazy("Proveedor"),
        required=False,
        help_text=gettext_lazy("Sólo el proveedor con esta clave."),
    )
    restart = forms.BooleanField(
        label=gettext_lazy("Empezar desde cero"),
        required=False,
        help_text=gettext_lazy("No reanudar la corrida fallida anterior."),
    )


def _line(run: SyncRun) -> str:
    pages = ngettext("%(count)s página", "%(count)s páginas", run.pages) % {"count": run.pages}
    rows = ngettext("%(count)s registro", "%(count)s registros", run.rows) % {"count": run.rows}
    return _("%(provider)s: %(status)s · %(pages)s · %(rows)s%(resumed)s") % {
        "provider": run.provider.name,
        "status": run.get_status_display(),
        "pages": pages,
        "rows": rows,
        "resumed": _(" (reanudada)") if run.resumed_from_id else "",
    }


def run_registry_sync(job, progress) -> JobOutcome:
    parameters = job.parameters
    providers = list(
        providers_select(system=parameters.get("system"), name=parameters.get("provider"))
    )
    if not providers:
        raise JobError(_("No hay proveedores activos que coincidan."))
    runs = []
    for provider in providers:

        def on_page(run, collection, page, provider=provider):
            progress.note(f"{provider.name} · {collection}")
            progress.advance(len(page.records))

        runs.append(
            registry_sync(
                provider=provider, restart=bool(parameters.get("restart")), on_page=on_page
            )
        )
    errors = [
        f"{run.provider.name}: {run.error_message}"
        for run in runs
        if run.status == SyncRun.Status.ERROR
    ]
    result = {
        "runs": [
            {
                "provider": run.provider.name,
                "status": run.status,
                "pages": run.pages,
                "rows": run.rows,
                "sync_run": run.pk,
            }
            for run in runs
        ]
    }
    return JobOutcome(summary="\n".join(_line(run) for run in runs), result=result, errors=errors)


register(
    JobKind(
        key="sincronizar_registros",
        label=gettext_lazy("Sincronizar registros de la PDN"),
        description=gettext_lazy(
            "Actualiza los espejos locales de S1, S2 y S3; reanuda la corrida interrumpida."
        ),
        run=run_registry_sync,
        form_class=RegistrySyncForm,
        command="sincronizar_registros",
    )
)


class Sat69bImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Archivo CSV"),
        required=False,
        help_text=gettext_lazy("Listado_Completo_69-B.csv tal como lo publica el SAT."),
    )
    url = forms.URLField(
        label=gettext_lazy("o su dirección"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Dirección http(s) de donde descargar el listado."),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(
                _("Suba el archivo o escriba su dirección (una de las dos).")
            )
        return cleaned


def sat69b_summary_text(summary: Sat69bSummary) -> str:
    """The import's summary as the command printed it, one line per situation after it."""
    head = _(
        "Listado 69-B importado: %(rows)s contribuyentes (%(created)s nuevos, "
        "%(updated)s actualizados, %(unchanged)s sin cambios), %(events)s eventos, "
        "%(skipped)s filas sin RFC, "
        "%(gone)s ya no aparecen en el listado."
    ) % {
        "rows": summary.rows,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "events": summary.events,
        "skipped": summary.skipped,
        "gone": summary.no_longer_listed,
    }
    statuses = [f"  {status}: {count}" for status, count in sorted(summary.by_status.items())]
    return "\n".join([head, *statuses])


def run_sat69b_import(job, progress) -> JobOutcome:
    # From the admin: an uploaded file (stored, now its path) or a URL; from the command: source.
    parameters = job.parameters
    source = parameters.get("file") or parameters.get("url") or parameters.get("source")
    if not source:
        raise JobError(_("Indique el archivo o la dirección del listado 69-B."))

    def counted(batches):
        # The taxpayers are stored in batches of sat69b.BATCH; the bar counts taxpayers.
        batches = list(batches)
        progress.set_total(sum(len(batch) for batch in batches))
        for batch in batches:
            yield batch
            progress.advance(len(batch))

    progress.note(_("Leyendo %(source)s") % {"source": source.rsplit("/", 1)[-1]})
    try:
        summary = sat69b_import(source=source, progress=counted)
    except (RegistryError, OSError) as exc:
        raise JobError(
            _("No se pudo importar el listado 69-B: %(error)s") % {"error": exc}
        ) from exc
    progress.note("")
    result = {
        "rows": summary.rows,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "events": summary.events,
        "skipped": summary.skipped,
        "no_longer_listed": summary.no_longer_listed,
        "by_status": summary.by_status,
    }
    return JobOutcome(summary=sat69b_summary_text(summary), result=result)


register(
    JobKind(
        key="importar_69b",
        label=gettext_lazy("Importar la lista 69-B del SAT"),
        description=gettext_lazy(
            "Carga el listado completo del artículo 69-B (CSV del SAT) con la historia de cada RFC."
        ),
        run=run_sat69b_import,
        form_class=Sat69bImportForm,
        command="importar_69b",
    )
)
