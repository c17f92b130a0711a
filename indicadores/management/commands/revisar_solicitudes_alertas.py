"""Note the OIC's response requests whose deadline passed unanswered, and notify both sides.

Run it from cron once a day, e.g. ``15 6 * * * cd /srv/compra && .venv/bin/python manage.py
revisar_solicitudes_alertas``. It is idempotent: each request is noted once.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from indicadores.alerts import note_overdue


class Command(BaseCommand):
    help = _(
        "Registra en la historia de cada alerta, y avisa al OIC y a la unidad compradora, las "
        "solicitudes de respuesta cuyo plazo venció sin respuesta."
    )

    def handle(self, *args, **options):
        noted = note_overdue()
        for alert in noted:
            self.stdout.write(f"{alert.ocid} {alert.code}: {alert.response_deadline:%d/%m/%Y}")
        self.stdout.write(_("Solicitudes vencidas registradas: %(count)s") % {"count": len(noted)})
