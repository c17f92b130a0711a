"""A fake of SAT's download of the article 69-B list, on loopback, for the demo and the tests.

It serves ``Listado_Completo_69-B.csv`` as the SAT publishes it (docs/registros.md §3):
Windows-1252, two preamble lines, one row per taxpayer with the global notice and the SAT-page and
DOF publication of each stage. ``importar_69b <url>`` reads it with the real importer. The list
holds the known taxpayers of ``KNOWN_69B`` (one «Definitivo», one «Desvirtuado») and deterministic
generated ones.

Usage::

    with FakeSat69bServer() as fake:
        call_command("importar_69b", fake.list_url)
"""

import csv
import io
from http.server import BaseHTTPRequestHandler

from devtools.fake_pdn import Generator, seeded
from devtools.loopback import LoopbackServer

LIST_PATH = "/Listado_Completo_69-B.csv"
PREAMBLE = [
    ["Información actualizada al 1 de diciembre de 2026"],
    ["Listado completo de contribuyentes (Artículo 69-B del Código Fiscal de la Federación)"],
]
STAGES = ("presuncion", "desvirtuaron", "definitivos", "sentencia favorable")
HEADER = ["No", "RFC", "Nombre del Contribuyente", "Situación del contribuyente"] + [
    cell
    for stage, plural in zip(
        STAGES, ("presuntos", "desvirtuados", "definitivos", "sentencia favorable"), strict=True
    )
    for cell in (
        f"Número y fecha de oficio global de {stage} SAT",
        f"Publicación página SAT {plural}",
        f"Número y fecha de oficio global de {stage} DOF",
        f"Publicación DOF {plural}",
    )
]
# Taxpayers every fake list carries, so the demo and the tests know the answer. Dates are
# (SAT page, DOF) publications, dd/mm/yyyy as in the official file.
KNOWN_69B = {
    "definitive": {
        "name": "Distribuidora Fantasma del Golfo, S.A. de C.V.",
        "rfc": "DFG180517KT2",
        "status": "Definitivo",
        "presuncion": ("500-05-2025-08112", "14/03/2025", "28/03/2025"),
        "definitivos": ("500-05-2025-21940", "12/09/2025", "26/09/2025"),
    },
    "disproved": {
        "name": "Comercial Aclarada del Sur, S.A. de C.V.",
        "rfc": "CAS110822LM5",
        "status": "Desvirtuado",
        "presuncion": ("500-05-2024-10230", "03/05/2024", "17/05/2024"),
        "desvirtuaron": ("500-05-2024-30551", "08/11/2024", "22/11/2024"),
    },
}


def _stage_cells(taxpayer: dict, stage: str) -> list[str]:
    if stage not in taxpayer:
        return ["", "", "", ""]
    notice, sat, dof = taxpayer[stage]
    text = f"{notice} de fecha {sat}"
    return [text, sat, text, dof]


def _row(number: int, taxpayer: dict) -> list[str]:
    cells = [str(number), taxpayer["rfc"], taxpayer["name"], taxpayer["status"]]
    for stage in STAGES:
        cells += _stage_cells(taxpayer, stage)
    return cells


def _publication(rng, year: int) -> tuple[str, str, str]:
    """(notice, SAT page date, DOF date) of one global notice of ``year``."""
    sat = f"{rng.randint(1, 28):02d}/0{rng.randint(1, 6)}/{year}"
    dof = f"{rng.randint(1, 28):02d}/0{rng.randint(7, 9)}/{year}"
    return f"500-05-{year}-{rng.randint(10000, 39999)}", sat, dof


def _generated(size: int) -> list[dict]:
    """Deterministic taxpayers: mostly definitivos, some presuntos and desvirtuados."""
    rng = seeded("sat-69b")
    taxpayers = []
    for index in range(size):
        year = rng.randint(2017, 2025)
        presumed, later = _publication(rng, year), _publication(rng, year + 1)
        kind = ("Definitivo", "Presunto", "Desvirtuado")[index % 3]
        taxpayer = {
            "name": Generator._company(rng),
            "rfc": Generator._rfc(rng, 3),
            "status": kind,
            "presuncion": presumed,
        }
        if kind == "Definitivo":
            taxpayer["definitivos"] = later
        elif kind == "Desvirtuado":
            taxpayer["desvirtuaron"] = later
        taxpayers.append(taxpayer)
    return taxpayers


def list_bytes(size: int = 40) -> bytes:
    """The whole file, Windows-1252 like the SAT's."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(PREAMBLE)
    writer.writerow(HEADER)
    taxpayers = list(KNOWN_69B.values()) + _generated(max(size - len(KNOWN_69B), 0))
    for number, taxpayer in enumerate(taxpayers, start=1):
        writer.writerow(_row(number, taxpayer))
    return out.getvalue().encode("cp1252")


class FakeSat69bServer(LoopbackServer):
    """Serves the fake list on ``host:port`` (0 = any free port) until stopped."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, size: int = 40):
        self.body = list_bytes(size)
        self.requests = 0
        super().__init__(self._handler_class(), host=host, port=port)

    @property
    def list_url(self) -> str:
        return self.url + LIST_PATH

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):
                return

            def do_GET(self):
                found = self.path.split("?")[0] == LIST_PATH
                body = fake.body if found else b"No existe"
                fake.requests += found
                self.send_response(200 if found else 404)
                content_type = "text/csv; charset=windows-1252" if found else "text/plain"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
