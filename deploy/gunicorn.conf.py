"""gunicorn configuration of Compra Íntegra (deploy/systemd/compra-web.service uses it).

Every value can be changed from the environment file without editing this one. The web workers
are stateless — sessions and files in the database and MEDIA_ROOT, counters and totals in the
shared cache (REDIS_URL) — so several of them, on one host or several, answer alike.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# (2 × cores) + 1 is gunicorn's rule of thumb for requests that wait on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The slowest legitimate request (a release package of OCDS_API_PACKAGE_MAX_RELEASES) streams for
# a while; long work belongs to the job workers (cms/jobs.py), never to a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# `systemctl reload compra-web` (SIGHUP) starts new workers and lets the old ones finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycling workers now and then bounds any slow memory growth; the jitter avoids all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# nginx sets X-Forwarded-Proto and X-Forwarded-For; gunicorn trusts them only from itself.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "compra-web"
