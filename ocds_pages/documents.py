"""Documents of a release: OCDS Document objects, with the SHA-256 of the file as published.

OCDS 1.1 has no hash field on Document; the project extension (``compra_integra``) declares
``sha256`` so that a reader can check the downloaded file is the one the entity published.
"""

import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


def file_sha256(*, file: Path | BinaryIO) -> str:
    """Hex SHA-256 of a stored file, read in 1 MB chunks (files may be large scans)."""
    if isinstance(file, Path):
        with file.open("rb") as handle:
            return file_sha256(file=handle)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def build_document(
    *,
    document_id: str,
    url: str,
    title: str,
    document_type: str,
    date_published: str,
    file_format: str = "application/pdf",
    file: Path | BinaryIO | None = None,
) -> dict:
    """An OCDS Document (documentType from the codelist, format as a MIME type) with its hash."""
    document = {
        "id": document_id,
        "documentType": document_type,
        "title": title,
        "url": url,
        "datePublished": date_published,
        "format": file_format,
    }
    if file is not None:
        document["sha256"] = file_sha256(file=file)
    return document
