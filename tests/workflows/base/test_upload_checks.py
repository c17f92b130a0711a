"""Uploads whose name and content disagree are refused (issue 20, item 11)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from workflows.base.uploads import UploadRefused, check_upload

POLYGLOT = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ANY_ZIP = zip_of({"leeme.txt": b"hola"})


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("oficio.html", POLYGLOT, "no corresponde al contenido del archivo (PDF)"),
        ("foto.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "(PNG)"),
        ("anexo.html", ANY_ZIP, "(ZIP)"),
        ("contrato.docx", ANY_ZIP, "no tiene la estructura de un documento DOCX"),
        ("tabla.xlsx", DOCX, "no tiene la estructura de un documento XLSX"),
        ("texto.odt", ANY_ZIP, "no tiene la estructura de un documento ODT"),
    ],
)
def test_mismatched_names_and_contents_are_refused(name, content, words):
    with pytest.raises(UploadRefused, match=words.replace("(", r"\(").replace(")", r"\)")):
        check_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("oficio.pdf", POLYGLOT, "application/pdf"),  # a PDF named .pdf, served as PDF (nosniff)
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (
            "contrato.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("tabla.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("texto.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("anexos.zip", ANY_ZIP, "application/zip"),
    ],
)
def test_matching_files_are_accepted(name, content, content_type):
    uploaded = SimpleUploadedFile(name, content)
    assert check_upload(uploaded).content_type == content_type
    assert uploaded.read() == content  # the check leaves the file readable from the start
