"""deploy/nginx/compra.conf run by a real nginx in front of the system (issue 21, private media).

The install walk of docs/instalacion.md §18 did this by hand; this test keeps it. The site file is
used as shipped, with only what an installation edits changed (ports, certificate, the
installation's folder, the upstream's address): an entity's staff get an unpublished document's
bytes from nginx through X-Accel-Redirect, nobody else does, the internal location cannot be asked
for, and nothing under /media/ but the content pages' images is read from disk by nginx (the walk
found a citizen report's photo served that way). Skipped where nginx is not installed
(``apt-get install nginx``).
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test import Client

from cms.roles import Role
from tests.factories import make_entity, make_member, make_unit
from workflows.processes import process_services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx no está instalado"),
]

PDF = b"%PDF-1.4\n% documento sin publicar\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_config(var_dir, upstream: str, port: int) -> str:
    """The shipped site with the edits an installation makes (no TLS: only the proxying matters)."""
    site = (django_settings.BASE_DIR / "deploy" / "nginx" / "compra.conf").read_text()
    proxy = django_settings.BASE_DIR / "deploy" / "nginx" / "compra-proxy.conf"
    site = re.sub(r"\n\s*ssl_certificate\S*\s+[^;]+;", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    site = site.replace("server 127.0.0.1:8001;", f"server {upstream};")
    site = site.replace("/srv/compra/app/var/", f"{var_dir}/")
    return site.replace("/etc/nginx/compra-proxy.conf", str(proxy))


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def django_server():
    """The system as gunicorn runs it: the bare WSGI application. (pytest-django's live_server
    wraps it in Django's test handler that serves MEDIA_ROOT itself, which would hide the view.)"""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def nginx(django_server, tmp_path):
    """nginx on a free port in front of the system; yields (port, MEDIA_ROOT)."""
    var_dir = tmp_path / "var"
    (var_dir / "media").mkdir(parents=True)
    port = free_port()
    temp_paths = "\n".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    mime = "include /etc/nginx/mime.types;" if os.path.exists("/etc/nginx/mime.types") else ""
    # As root nginx drops its workers to "nobody", who cannot read pytest's private tmp_path.
    user = "user root;" if os.geteuid() == 0 else ""
    upstream = django_server
    (tmp_path / "nginx.conf").write_text(
        f"{user}\ndaemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n{mime}\naccess_log off;\n{temp_paths}\n"
        f"{site_config(var_dir, upstream, port)}\n}}\n"
    )
    args = ["nginx", "-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
    args += ["-c", str(tmp_path / "nginx.conf")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, var_dir / "media"
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(port: int, path: str, user=None):
    headers = {}
    if user is not None:
        client = Client()
        client.force_login(user)
        headers["Cookie"] = f"sessionid={client.cookies['sessionid'].value}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


@pytest.fixture
def document(nginx, settings):
    """An unpublished document of one entity's process, uploaded as «Subir documento» does."""
    _port, media_root = nginx
    settings.MEDIA_ROOT = media_root
    settings.PROTECTED_MEDIA_SERVER = "nginx"
    # The flush after another transactional test removes the shipped forms; put them back.
    call_command("instalar_formularios", verbosity=0)
    entity = make_entity("IMSS")
    unit = make_unit(entity)
    capturista = make_member(Role.CAPTURISTA, entity, unit, "cap-IMSS")
    process = process_services.process_create(
        user=capturista,
        unit=unit,
        title="Adquisición de medicamentos 2027",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2027,
    )
    uploaded = process_services.document_upload(
        process=process,
        user=capturista,
        stage="planning",
        uploaded=SimpleUploadedFile("Programa anual ñ 2027.pdf", PDF),
        title="Programa anual (borrador)",
        document_type="procurementPlan",
    )
    return {
        "url": f"/media/{uploaded.file.name}",
        "name": uploaded.file.name,
        "staff": capturista,
        "other": make_member(Role.CAPTURISTA, make_entity("SAT"), None, "cap-SAT"),
    }


def test_the_entitys_staff_get_the_bytes_from_nginx(nginx, document):
    port, _media_root = nginx

    status, headers, body = fetch(port, document["url"], document["staff"])

    assert status == 200
    assert body == PDF  # the system answered an empty body: nginx read the file
    assert headers["Content-Type"] == "application/pdf"
    assert "Programa%20anual%20%C3%B1%202027.pdf" in headers["Content-Disposition"]
    assert headers["Cache-Control"] == "private, no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in headers


def test_nobody_else_gets_the_file_by_any_path(nginx, document):
    port, _media_root = nginx
    status, headers, body = fetch(port, document["url"])
    assert (status, body) == (302, b"")
    assert headers["Location"].startswith("/admin/login/")
    assert fetch(port, document["url"], document["other"])[0] == 404
    for path in (f"/media-protegido/{document['name']}", f"/media/./{document['name']}"):
        status, _headers, body = fetch(port, path, document["other"])
        assert status == 404, path
        assert PDF not in body
    assert fetch(port, f"/media-protegido/{document['name']}", document["staff"])[0] == 404


def test_under_media_nginx_reads_only_the_content_pages_images(nginx, document):
    port, media_root = nginx
    photo = media_root / "reportes-ciudadanos" / "2026" / "12" / "foto.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 foto sin moderar")
    (media_root / "images").mkdir()
    (media_root / "images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    assert fetch(port, "/media/reportes-ciudadanos/2026/12/foto.jpg")[0] == 404
    assert fetch(port, "/media/images/logo.png")[:3:2] == (200, b"\x89PNG\r\n\x1a\n")
