"""The registry sync as a long job (cms.jobs): the work of ``sincronizar_registros`` on a worker.

Each provider resumes from its last failed run's checkpoint (integraciones/sync.py) unless the job
asks to start over, so a scheduled sync that a PDN outage interrupted continues where it stopped.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cms.jobs import JobError, JobKind, JobOutcome, register
from integraciones.models import RegistrySystem, SyncRun
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
