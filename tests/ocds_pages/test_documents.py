import hashlib

import pytest

from ocds_pages.codelists import codes
from ocds_pages.documents import build_document, file_sha256
from ocds_pages.validation import validate_release
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid


def test_sha256_of_a_stored_file_is_streamed(tmp_path):
    content = b"%PDF-1.7 convocatoria " * 100_000
    path = tmp_path / "convocatoria.pdf"
    path.write_bytes(content)

    assert file_sha256(file=path) == hashlib.sha256(content).hexdigest()


@pytest.mark.django_db
def test_a_document_keeps_its_metadata_and_hash_and_validates(tmp_path):
    entity = make_entity()
    path = tmp_path / "bases.pdf"
    path.write_bytes(b"%PDF-1.7 bases de la licitacion")
    document = build_document(
        document_id="bases-1",
        url="https://compras.example.gob.mx/documentos/bases-1.pdf",
        title="Bases de la licitación",
        document_type="biddingDocuments",
        date_published="2025-02-03T10:00:00-06:00",
        file=path,
    )
    release = make_tender_release(
        ocid=own_ocid(entity), entity=entity, tender={"documents": [document]}
    )

    assert document["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert document["documentType"] in codes("documentType")
    assert (document["format"], document["datePublished"]) == (
        "application/pdf",
        "2025-02-03T10:00:00-06:00",
    )
    assert validate_release(release) == []


@pytest.mark.django_db
def test_a_malformed_hash_is_rejected_by_the_project_extension():
    entity = make_entity()
    document = {"id": "bases-1", "title": "Bases", "sha256": "no-es-un-hash"}
    release = make_tender_release(
        ocid=own_ocid(entity), entity=entity, tender={"documents": [document]}
    )

    [issue] = validate_release(release)

    assert issue.path == "tender/documents/0/sha256"
    assert issue.message.startswith("El valor 'no-es-un-hash' no tiene el formato esperado")
