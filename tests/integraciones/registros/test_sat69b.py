"""Importing SAT's 69-B list as the SAT publishes it: Windows-1252, two preamble lines."""

import csv
import datetime
import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from integraciones.models import Sat69bEvent, Sat69bTaxpayer
from integraciones.sat69b import column_roles, parse_mx_date, sat69b_import

pytestmark = pytest.mark.django_db

# The newer header: duplicated notice columns carry " SAT" / " DOF".
HEADER = [
    "No",
    "RFC",
    "Nombre del Contribuyente",
    "Situación del contribuyente",
    "Número y fecha de oficio global de presunción SAT",
    "Publicación página SAT presuntos",
    "Número y fecha de oficio global de presunción DOF",
    "Publicación DOF presuntos",
    "Número y fecha de oficio global de contribuyentes que desvirtuaron SAT",
    "Publicación página SAT desvirtuados",
    "Número y fecha de oficio global de contribuyentes que desvirtuaron DOF",
    "Publicación DOF desvirtuados",
    "Número y fecha de oficio global de definitivos SAT",
    "Publicación página SAT definitivos",
    "Número y fecha de oficio global de definitivos DOF",
    "Publicación DOF definitivos",
    "Número y fecha de oficio global de sentencia favorable SAT",
    "Publicación página SAT sentencia favorable",
    "Número y fecha de oficio global de sentencia favorable DOF",
    "Publicación DOF sentencia favorable",
]
# An older spelling: no accents, other case and spacing, the notice headers repeated.
OLD_HEADER = [
    "NO",
    "R.F.C.",
    "NOMBRE DEL CONTRIBUYENTE",
    "SITUACION DEL CONTRIBUYENTE",
    "Numero y fecha de oficio global de presuncion",
    "Publicacion  pagina SAT presuntos",
    "Numero y fecha de oficio global de presuncion",
    "Publicacion DOF presuntos",
    "Numero y fecha de oficio global de contribuyentes que desvirtuaron",
    "Publicacion pagina SAT desvirtuados",
    "Numero y fecha de oficio global de contribuyentes que desvirtuaron",
    "Publicacion DOF desvirtuados",
    "Numero y fecha de oficio global de definitivos",
    "Publicacion pagina SAT definitivos",
    "Numero y fecha de oficio global de definitivos",
    "Publicacion DOF definitivos",
    "Numero y fecha de oficio global de sentencia favorable",
    "Publicacion pagina SAT sentencia favorable",
    "Numero y fecha de oficio global de sentencia favorable",
    "Publicacion DOF sentencia favorable",
]
PRESUMED = [
    "500-05-2018-16653 de fecha 1 de junio de 2018",
    "01/06/2018",
    "500-05-2018-16653 de fecha 1 de junio de 2018",
    "15/06/2018",
]
DEFINITIVE = [
    "500-05-2018-30781 de fecha 17 de octubre de 2018",
    "17/10/2018",
    "500-05-2018-30781 de fecha 17 de octubre de 2018",
    "30/10/2018",
]
EMPTY_STAGE = ["", "", "", ""]
ROWS = [
    ["1", "AAA120101AB1", "Empresa Fantasma, S.A. de C.V.", "Definitivo"]
    + PRESUMED
    + EMPTY_STAGE
    + DEFINITIVE
    + EMPTY_STAGE,
    ["2", "BBB130202CD2", "Comercializadora Ñandú, S. de R.L. de C.V.", "Desvirtuado"]
    + PRESUMED
    + [
        "500-05-2019-1234 de fecha 4 de marzo de 2019",
        "04/03/2019",
        "500-05-2019-1234 de fecha 4 de marzo de 2019",
        "11/03/2019",
    ]
    + EMPTY_STAGE
    + EMPTY_STAGE,
    ["3", "CCC140303EF3", "Servicios Logísticos Peña", "Presunto"] + PRESUMED + EMPTY_STAGE * 3,
    ["4", "DDD150404GH4", "Consultores Ávila, S.C.", "Sentencia Favorable"]
    + PRESUMED
    + EMPTY_STAGE
    + DEFINITIVE
    + [
        "500-05-2020-777 de fecha 2 de julio de 2020",
        "02/07/2020",
        "",
        "09/07/2020",
    ],
]


def listing(header=HEADER, rows=ROWS) -> bytes:
    """The file as the SAT publishes it: two preamble lines, then the CSV, in Windows-1252."""
    out = io.StringIO()
    out.write("Listado completo de contribuyentes (Artículo 69-B del Código Fiscal)\r\n")
    out.write("Información actualizada al 15 de agosto de 2026\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("cp1252")


@pytest.fixture
def listing_file(tmp_path):
    path = tmp_path / "Listado_Completo_69-B.csv"
    path.write_bytes(listing())
    return path


def history(rfc):
    return {
        event.stage: event
        for event in Sat69bEvent.objects.filter(taxpayer__rfc=rfc).order_by("date")
    }


def test_the_official_layout_imports_with_dated_histories(listing_file):
    summary = sat69b_import(source=str(listing_file))

    assert summary.rows == 4
    ghost = Sat69bTaxpayer.objects.get(rfc="AAA120101AB1")
    assert ghost.status == "definitivo"
    assert ghost.name_normalised == "EMPRESA FANTASMA"
    events = history("AAA120101AB1")
    assert set(events) == {"presunto", "definitivo"}
    presumed = events["presunto"]
    assert presumed.date == datetime.date(2018, 6, 1)
    assert presumed.sat_published_on == datetime.date(2018, 6, 1)
    assert presumed.dof_published_on == datetime.date(2018, 6, 15)
    assert presumed.sat_notice.startswith("500-05-2018-16653")
    assert presumed.notice_date == datetime.date(2018, 6, 1)
    assert events["definitivo"].dof_published_on == datetime.date(2018, 10, 30)


def test_every_stage_is_read_including_accents_of_windows_1252(listing_file):
    sat69b_import(source=str(listing_file))

    assert set(history("BBB130202CD2")) == {"presunto", "desvirtuado"}
    assert set(history("CCC140303EF3")) == {"presunto"}
    favourable = history("DDD150404GH4")
    assert set(favourable) == {"presunto", "definitivo", "sentencia_favorable"}
    assert favourable["sentencia_favorable"].date == datetime.date(2020, 7, 2)
    nandu = Sat69bTaxpayer.objects.get(rfc="BBB130202CD2")
    assert nandu.name == "Comercializadora Ñandú, S. de R.L. de C.V."
    assert nandu.status == "desvirtuado"


def test_reimporting_the_same_file_changes_nothing(listing_file):
    sat69b_import(source=str(listing_file))
    before = list(
        Sat69bEvent.objects.order_by("taxpayer__rfc", "stage").values_list(
            "taxpayer__rfc", "stage", "date", "sat_notice", "dof_published_on"
        )
    )

    summary = sat69b_import(source=str(listing_file))

    after = list(
        Sat69bEvent.objects.order_by("taxpayer__rfc", "stage").values_list(
            "taxpayer__rfc", "stage", "date", "sat_notice", "dof_published_on"
        )
    )
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    assert Sat69bTaxpayer.objects.count() == 4
    assert after == before


def test_reimporting_counts_as_updated_only_the_taxpayers_that_changed(listing_file):
    sat69b_import(source=str(listing_file))
    taxpayer = Sat69bTaxpayer.objects.order_by("rfc").first()
    Sat69bTaxpayer.objects.filter(pk=taxpayer.pk).update(status="presunto-antes")

    summary = sat69b_import(source=str(listing_file))

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 3)
    assert Sat69bTaxpayer.objects.get(pk=taxpayer.pk).status == taxpayer.status


def test_the_older_header_spelling_is_recognised(tmp_path):
    path = tmp_path / "viejo.csv"
    path.write_bytes(listing(header=OLD_HEADER))

    sat69b_import(source=str(path))

    events = history("AAA120101AB1")
    assert events["presunto"].sat_notice.startswith("500-05-2018-16653")
    assert events["presunto"].dof_notice.startswith("500-05-2018-16653")
    assert events["definitivo"].dof_published_on == datetime.date(2018, 10, 30)


def test_a_taxpayer_missing_from_a_newer_list_is_flagged_not_deleted(listing_file, tmp_path):
    sat69b_import(source=str(listing_file))
    newer = tmp_path / "nuevo.csv"
    newer.write_bytes(listing(rows=ROWS[1:]))

    summary = sat69b_import(source=str(newer))

    assert summary.no_longer_listed == 1
    gone = Sat69bTaxpayer.objects.get(rfc="AAA120101AB1")
    assert gone.in_latest_list is False
    assert set(history("AAA120101AB1")) == {"presunto", "definitivo"}


def test_the_command_imports_from_a_url(tmp_path, capsys):
    (tmp_path / "Listado_Completo_69-B.csv").write_bytes(listing())
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        url = f"http://127.0.0.1:{port}/Listado_Completo_69-B.csv"
        call_command("importar_69b", url, "--sin-progreso")
    finally:
        server.shutdown()
        server.server_close()

    assert "4 contribuyentes" in capsys.readouterr().out
    assert Sat69bEvent.objects.count() == 8


def test_a_file_without_rfc_column_is_refused(tmp_path):
    path = tmp_path / "otro.csv"
    path.write_bytes("a,b\r\n1,2\r\n".encode("cp1252"))

    with pytest.raises(CommandError, match="RFC"):
        call_command("importar_69b", str(path), "--sin-progreso")


def test_header_roles_and_dates():
    roles = column_roles(HEADER)

    assert roles[1] == ("rfc",)
    assert roles[6] == ("notice", "presunto", "dof")
    assert roles[9] == ("published", "desvirtuado", "sat")
    assert roles[19] == ("published", "sentencia_favorable", "dof")
    assert parse_mx_date("2019-03-04") == datetime.date(2019, 3, 4)
    assert parse_mx_date("500-05-2019-1234 de fecha 4 de marzo de 2019") == datetime.date(
        2019, 3, 4
    )
    assert parse_mx_date("sin fecha") is None
