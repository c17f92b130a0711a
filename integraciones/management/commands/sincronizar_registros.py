"""Mirror the PDN registries (S1, S2, S3) of every active provider, or of one system or provider.

Meant for cron or a systemd timer (docs/registros.md); the exit status is non-zero when any
provider failed, so the scheduler can alert.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from integraciones.models import RegistrySystem, SyncRun
from integraciones.sync import providers_select, registry_sync


class Command(BaseCommand):
    help = _("Sincroniza los espejos locales de los sistemas S1, S2 y S3 de la PDN.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--sistema",
            choices=RegistrySystem.values,
            help=_("Sólo los proveedores de este sistema."),
        )
        parser.add_argument("--proveedor", help=_("Sólo el proveedor con esta clave."))
        parser.add_argument(
            "--desde-cero",
            action="store_true",
            help=_("No reanudar la corrida fallida anterior; empezar desde la primera página."),
        )
        parser.add_argument(
            "--sin-progreso", action="store_true", help=_("No mostrar la barra de progreso.")
        )

    def handle(self, *args, **options):
        providers = list(providers_select(system=options["sistema"], name=options["proveedor"]))
        if not providers:
            raise CommandError(_("No hay proveedores activos que coincidan."))
        runs = [self._sync(provider, options) for provider in providers]
        failed = [run for run in runs if run.status == SyncRun.Status.ERROR]
        if failed:
            raise CommandError(
                _("Fallaron %(failed)s de %(total)s proveedores; vea los mensajes arriba.")
                % {"failed": len(failed), "total": len(runs)}
            )

    def _sync(self, provider, options):
        bar = tqdm(
            desc=provider.name,
            unit=" registros",
            disable=options["sin_progreso"],
            file=self.stderr,
        )

        def on_page(run, collection, page):
            bar.set_postfix_str(collection)
            bar.update(len(page.records))

        try:
            run = registry_sync(provider=provider, restart=options["desde_cero"], on_page=on_page)
        finally:
            bar.close()
        self._summary(run)
        return run

    def _summary(self, run):
        pages = ngettext("%(count)s página", "%(count)s páginas", run.pages) % {"count": run.pages}
        rows = ngettext("%(count)s registro", "%(count)s registros", run.rows) % {"count": run.rows}
        line = _("%(provider)s: %(status)s · %(pages)s · %(rows)s%(resumed)s") % {
            "provider": run.provider.name,
            "status": run.get_status_display(),
            "pages": pages,
            "rows": rows,
            "resumed": _(" (reanudada)") if run.resumed_from_id else "",
        }
        style = self.style.SUCCESS if run.status == SyncRun.Status.OK else self.style.WARNING
        self.stdout.write(style(line))
        if run.error_message:
            self.stdout.write(f"  {run.error_message}")
