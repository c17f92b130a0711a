"""``manage.py bench_carga``: concurrent clients against gunicorn for a fixed time (issue 21).

Starts gunicorn with deploy/gunicorn.conf.py on the current database (or measures ``--url``),
then ``--clientes`` threads send requests for ``--segundos`` seconds, each cycling over the public
process page, the public search, the S6 first page and S6 harvest pages (pageSize 100 at random
depths). It stops by itself and prints, per endpoint, requests per second, p50/p95/p99 and errors
(anything but 200). Not a test: docs/benchmarks.md keeps the figures and the command.
"""

import json
import os
import random
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.models import OAuthClient
from ocds_pages.models import Record

SEARCH_TERMS = ["servicio", "adquisición", "mantenimiento", "medicamentos", "obra"]
BENCH_CLIENT = "bench-carga"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Command(BaseCommand):
    help = _(
        "Mide el servidor con clientes concurrentes durante un tiempo fijo: página de proceso, "
        "búsqueda pública y S6 (primera página y cosecha); p50, p95, p99 y errores."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clientes", type=int, default=50, dest="clients")
        parser.add_argument("--segundos", type=int, default=60, dest="seconds")
        parser.add_argument(
            "--workers", type=int, default=3, help=_("Procesos de gunicorn (sin --url).")
        )
        parser.add_argument("--url", help=_("Medir un servidor ya en marcha en esta URL."))
        parser.add_argument("--json", dest="json_path", help=_("Guardar el resultado aquí."))

    def handle(self, *args, clients, seconds, workers, url, json_path, **options):
        ocids = list(Record.objects.order_by("?").values_list("ocid", flat=True)[:500])
        if not ocids:
            raise CommandError(_("No hay procesos publicados; genere datos con generar_datos."))
        password = self.bench_account()
        server = None
        if not url:
            server, url = self.start_gunicorn(workers)
        try:
            token = self.token(url, password)
            plan = self.plan(ocids, token)
            before = self.usage(server)
            results = self.run(url, plan, clients, seconds)
            after = self.usage(server)
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=60)
        report = self.report(results, seconds, clients, workers if server else None)
        report["cpu"] = self.cpu_report(before, after, results)
        if json_path:
            Path(json_path).write_text(json.dumps(report, ensure_ascii=False, indent=2))

    # --- set-up ---------------------------------------------------------------------------------

    def bench_account(self) -> str:
        """A PDN-protocol OAuth client for the S6 requests, with a fresh password each run."""
        password = secrets.token_urlsafe(24)
        user, _created = get_user_model().objects.get_or_create(username=BENCH_CLIENT)
        user.set_password(password)
        user.save()
        client = OAuthClient.objects.filter(client_id=BENCH_CLIENT).first()
        if client is None:
            client = OAuthClient(client_id=BENCH_CLIENT, name=BENCH_CLIENT)
        client.user = user
        client.client_secret = password
        client.client_type = OAuthClient.CLIENT_CONFIDENTIAL
        client.authorization_grant_type = OAuthClient.GRANT_PASSWORD
        client.allowed_scopes = "read s6"
        client.pdn_protocol = True
        client.save()
        return password

    def start_gunicorn(self, workers):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            # The bench measures the server, not the rate limits.
            "API_THROTTLE_ANON": "1000000/min",
            "API_THROTTLE_USER": "1000000/min",
            "API_THROTTLE_CLIENT": "1000000/min",
        }
        command = [sys.executable, "-m", "gunicorn", "cms.wsgi", "-c", "deploy/gunicorn.conf.py"]
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/salud/", timeout=30).status_code == 200:
                    return server, url
            except requests.RequestException:
                time.sleep(0.5)
        os.killpg(server.pid, signal.SIGTERM)
        raise CommandError(_("gunicorn no respondió en 120 s."))

    def token(self, url, password) -> str:
        response = requests.post(
            f"{url}/oauth/token/",
            data={
                "grant_type": "password",
                "username": BENCH_CLIENT,
                "password": password,
                "scope": "s6",
                "client_id": BENCH_CLIENT,
                "client_secret": password,
            },
            auth=(BENCH_CLIENT, password),
            timeout=60,
        )
        if response.status_code != 200:
            raise CommandError(_("No se obtuvo el token: %(body)s") % {"body": response.text})
        return response.json()["access_token"]

    def plan(self, ocids, token):
        """One function per endpoint: each returns (method, path, body, headers)."""
        s6 = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        deepest = max(1, Record.objects.count() // 100)

        def harvest_body():
            return json.dumps({"page": random.randint(1, deepest), "pageSize": 100})  # noqa: S311

        return {
            "página de proceso": lambda: ("GET", f"/procesos/{random.choice(ocids)}/", None, {}),  # noqa: S311
            "búsqueda pública": lambda: (
                "GET",
                f"/procesos/?q={random.choice(SEARCH_TERMS)}",  # noqa: S311
                None,
                {},
            ),
            "S6 primera página": lambda: (
                "POST",
                "/api/s6/contrataciones-abiertas",
                json.dumps({"page": 1, "pageSize": 10}),
                s6,
            ),
            "S6 cosecha": lambda: ("POST", "/api/s6/contrataciones-abiertas", harvest_body(), s6),
        }

    # --- measuring ------------------------------------------------------------------------------

    def run(self, url, plan, clients, seconds):
        names = list(plan)
        results = {name: [] for name in names}
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client(index):
            session = requests.Session()
            turn = index
            while time.monotonic() < stop_at:
                name = names[turn % len(names)]
                turn += 1
                method, path, body, headers = plan[name]()
                started = time.perf_counter()
                try:
                    status = session.request(
                        method, url + path, data=body, headers=headers, timeout=60
                    ).status_code
                except requests.RequestException:
                    status = 0
                elapsed = time.perf_counter() - started
                with lock:
                    results[name].append((elapsed, status))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    @staticmethod
    def usage(server) -> dict:
        """CPU seconds used so far by the clients (this process) and by gunicorn's processes.

        The server's is the sum over its process group, workers reaped by the master included
        (their time is in the master's cutime/cstime), read from /proc; None with ``--url``.
        """
        own = resource.getrusage(resource.RUSAGE_SELF)
        server_seconds = None
        if server is not None and Path("/proc").is_dir():
            ticks = 0
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # the process ended meanwhile
                # After the command name: state, ppid, pgrp… utime, stime, cutime, cstime.
                if int(fields[2]) == server.pid:
                    ticks += sum(int(value) for value in fields[11:15])
            server_seconds = ticks / os.sysconf("SC_CLK_TCK")
        return {
            "clients": own.ru_utime + own.ru_stime,
            "server": server_seconds,
            "load": os.getloadavg()[0],
        }

    def cpu_report(self, before, after, results) -> dict:
        requests_done = sum(len(samples) for samples in results.values())
        clients = after["clients"] - before["clients"]
        server = None if after["server"] is None else after["server"] - before["server"]
        report = {
            "client_cpu_s": round(clients, 1),
            "server_cpu_s": None if server is None else round(server, 1),
            "server_cpu_ms_per_request": (
                round(1000 * server / requests_done, 1) if server and requests_done else None
            ),
            "load_before": round(before["load"], 1),
            "load_after": round(after["load"], 1),
        }
        self.stdout.write(
            _(
                "CPU de gunicorn: %(server)s s (%(per)s ms por petición); CPU de los clientes: "
                "%(clients)s s; carga media %(load_before)s → %(load_after)s"
            )
            % {
                "server": report["server_cpu_s"] if server is not None else "?",
                "per": report["server_cpu_ms_per_request"] or "?",
                "clients": report["client_cpu_s"],
                "load_before": report["load_before"],
                "load_after": report["load_after"],
            }
        )
        return report

    def report(self, results, seconds, clients, workers):
        rows = []
        self.stdout.write(
            _("%(clients)s clientes, %(seconds)s s, %(workers)s procesos de gunicorn")
            % {"clients": clients, "seconds": seconds, "workers": workers or "?"}
        )
        self.stdout.write(
            "punto                 peticiones  pet/s   p50 ms  p95 ms  p99 ms  errores"
        )
        for name, samples in results.items():
            times = [elapsed * 1000 for elapsed, _status in samples]
            errors = sum(1 for _elapsed, status in samples if status != 200)
            row = {
                "endpoint": name,
                "requests": len(samples),
                "per_second": round(len(samples) / seconds, 1),
                "p50_ms": round(statistics.median(times), 1) if times else 0,
                "p95_ms": round(percentile(times, 0.95), 1),
                "p99_ms": round(percentile(times, 0.99), 1),
                "errors": errors,
            }
            rows.append(row)
            self.stdout.write(
                f"{name:<21} {row['requests']:>10}  {row['per_second']:>5}  {row['p50_ms']:>7}"
                f" {row['p95_ms']:>7} {row['p99_ms']:>7}  {errors:>7}"
            )
        return {"clients": clients, "seconds": seconds, "workers": workers, "endpoints": rows}
