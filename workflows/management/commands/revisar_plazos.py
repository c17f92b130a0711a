"""Record deadline notices of open processes (tender period end, contract end, overdue milestones).

Run it from cron, e.g. every hour: ``0 * * * * cd /srv/compra && .venv/bin/python manage.py
revisar_plazos``. It is idempotent: each deadline is noted once.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows.processes.deadlines import check_deadlines


class Command(BaseCommand):
    help = _("Registra avisos de plazos vencidos de los procesos abiertos.")

    def handle(self, *args, **options):
        created = check_deadlines()
        for entry in created:
            self.stdout.write(f"{entry.contracting_process.ocid}: {entry.reason}")
        self.stdout.write(_("Avisos nuevos: %(count)s") % {"count": len(created)})
