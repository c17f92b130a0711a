"""Serve fake PDN providers (S1 v2, S2 v1/v2, S3 v1/v2) and SAT's 69-B list on loopback (demo).

They speak the specifications of integraciones/specs/ with generated data, so
``sincronizar_registros`` and ``importar_69b`` can be tried end to end without the real PDN or SAT.
The records of the demo's planted integrity cases (devtools/demo_alerts.py) are added to them.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from devtools.demo_alerts import planted_registry_records
from devtools.fake_pdn import (
    DEMO_BASE_PORT,
    DEMO_SYSTEMS,
    FAKE_CLIENT_ID,
    FAKE_CLIENT_SECRET,
    FAKE_PASSWORD,
    FAKE_USERNAME,
    FAKE_V2_TOKEN,
    demo_servers,
)
from devtools.fake_sat import FakeSat69bServer


class Command(BaseCommand):
    help = _("Levanta servidores falsos de la PDN en 127.0.0.1 para la demostración.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("Dirección donde escuchar."))
        parser.add_argument(
            "--puerto-base",
            type=int,
            default=DEMO_BASE_PORT,
            help=_("Primer puerto (S1 v2); los demás siguen. 0 = puertos libres cualesquiera."),
        )
        parser.add_argument(
            "--registros", type=int, default=60, help=_("Registros generados por colección.")
        )
        parser.add_argument(
            "--duracion",
            type=float,
            default=0,
            help=_("Segundos antes de detenerse; 0 = hasta Ctrl-C."),
        )

    def handle(self, *args, **options):
        base_port = options["puerto_base"]
        servers = demo_servers(
            host=options["host"],
            base_port=base_port,
            size=options["registros"],
            planted=planted_registry_records(),
        )
        for server in servers:
            server.start()
            self.stdout.write(f"{server.system} {server.version}: {server.url}")
        # The 69-B list on the port after the PDN fakes (8796 by default).
        sat = FakeSat69bServer(
            host=options["host"], port=base_port and base_port + len(DEMO_SYSTEMS)
        ).start()
        servers.append(sat)
        self.stdout.write(f"SAT 69-B: {sat.list_url}")
        self.stdout.write(
            _(
                "Credenciales OAuth (S1 y v1): usuario %(user)s, contraseña %(password)s, "
                "client_id %(client)s, client_secret %(secret)s, token_url <url>/oauth/token. "
                "Token fijo (v2): %(token)s. Registre los proveedores con "
                "«manage.py cargar_proveedores_demo» y sincronice con "
                "«manage.py sincronizar_registros»."
            )
            % {
                "user": FAKE_USERNAME,
                "password": FAKE_PASSWORD,
                "client": FAKE_CLIENT_ID,
                "secret": FAKE_CLIENT_SECRET,
                "token": FAKE_V2_TOKEN,
            }
        )
        self.stdout.flush()
        try:
            self._wait(options["duracion"])
        except KeyboardInterrupt:
            pass
        finally:
            for server in servers:
                server.stop()

    @staticmethod
    def _wait(seconds: float) -> None:
        deadline = time.monotonic() + seconds if seconds else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.05 if deadline else 1)
