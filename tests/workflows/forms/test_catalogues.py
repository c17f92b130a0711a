"""Catalogues: the shipped rows, and the CUCoP import from CSV with progress and a summary."""

import pytest
from django.core.management import CommandError, call_command

from workflows.models import CucopItem, DocumentType, LegalJustification, UnitOfMeasure

pytestmark = pytest.mark.django_db


def write_csv(tmp_path, text, name="cucop.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_installation_ships_catalogues():
    assert CucopItem.objects.count() >= 200
    assert LegalJustification.objects.filter(law="LAASSP", article="41").count() == 20
    assert LegalJustification.objects.filter(code="LAASSP-42").exists()
    assert LegalJustification.objects.filter(law="LOPSRM", article="43").exists()
    assert UnitOfMeasure.objects.filter(code="H87", name="Pieza").exists()
    assert DocumentType.objects.get(name="Acta de fallo").ocds_code == "awardNotice"


def test_importar_cucop_creates_updates_and_reports(tmp_path, capsys):
    path = write_csv(
        tmp_path,
        "clave,descripcion,partida\n"
        "25301001,Paracetamol tabletas 500 mg caja con 20,25301\n"
        "25301999,Naproxeno tabletas 250 mg caja con 30,25301\n"
        "ABC,Sin clave válida,25301\n",
    )

    call_command("importar_cucop", str(path))

    out, err = capsys.readouterr()
    assert "CUCoP: 1 claves nuevas, 1 actualizadas, 1 rechazadas." in out
    assert "Línea 4 rechazada" in err
    assert CucopItem.objects.get(code="25301001").description.endswith("caja con 20")
    assert CucopItem.objects.get(code="25301999").expense_item == "25301"


def test_importar_cucop_accepts_compranet_headers_and_shows_progress(tmp_path, capsys):
    rows = "".join(f"{30000000 + n},Artículo de prueba {n},30000\n" for n in range(250))
    path = write_csv(tmp_path, "CLAVE CUCoP,DESCRIPCIÓN,PARTIDA ESPECÍFICA\n" + rows)

    call_command("importar_cucop", str(path))

    out, _err = capsys.readouterr()
    assert "… 200 claves procesadas" in out
    assert "250 claves nuevas" in out


def test_importar_cucop_refuses_a_file_without_the_columns(tmp_path):
    path = write_csv(tmp_path, "codigo;nombre\n1;x\n")

    with pytest.raises(CommandError, match="encabezados «clave» y «descripcion»"):
        call_command("importar_cucop", str(path))
