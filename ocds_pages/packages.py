"""Streaming builders of OCDS release packages and record packages.

A package is written as bytes: the envelope (metadata), then each stored JSON text joined by
commas, then the closing brackets. Releases and records are never parsed nor held all at once, so a
package of 100,000 releases takes the memory of one chunk (docs/arquitectura.md, decision 3).
"""

from collections.abc import Iterable, Iterator

import orjson
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ocds_pages.declared_extensions import ordered_union
from ocds_pages.models import Record, Release
from ocds_pages.schema import extension_urls

CHUNK_BYTES = 64 * 1024
ITERATOR_CHUNK = 2000


def publisher() -> dict:
    """The package ``publisher``: the OCDS_PUBLISHER setting (name, scheme, uid, uri).

    ``scheme``/``uid`` identify the publishing body (in Mexico, ``MX-RFC`` and its RFC) and go
    together: a scheme without its uid identifies nothing, so without a uid neither is given.
    """
    default = {"name": settings.WAGTAIL_SITE_NAME, "uri": settings.SITE_URL}
    configured = getattr(settings, "OCDS_PUBLISHER", None) or {}
    found = {key: value for key, value in (default | configured).items() if value}
    if not found.get("uid"):
        found.pop("scheme", None)
    return found


def package_extensions(declarations: Iterable[list | None]) -> list[str]:
    """The ``extensions`` of a package holding releases or records with these declarations
    (their ``extensions`` column): None — this installation's own — stands for the extensions we
    publish with; an imported one for those its publisher declared. The union, in order, so
    every field of every item is declared as its publisher declared it (docs/ocds.md §8).
    Without items, ours."""
    lists = [extension_urls() if declared is None else declared for declared in declarations]
    return list(ordered_union(*lists)) if lists else extension_urls()


def package_metadata(
    *, uri: str, published_date: str | None = None, extensions: list[str] | None = None
) -> dict:
    """Everything a package carries besides its releases or records; ``extensions`` from
    :func:`package_extensions` (ours when None)."""
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": published_date or timezone.now().isoformat(timespec="seconds"),
        "publisher": publisher(),
        "license": getattr(
            settings, "OCDS_LICENSE", "https://creativecommons.org/licenses/by/4.0/"
        ),
        "publicationPolicy": getattr(
            settings, "OCDS_PUBLICATION_POLICY", f"{settings.SITE_URL}/politica-de-publicacion/"
        ),
        "extensions": extension_urls() if extensions is None else extensions,
    }


def _envelope(metadata: dict, key: str) -> bytes:
    """``{...metadata..., "<key>":[`` — the opening of the package."""
    return orjson.dumps(metadata)[:-1] + b',"' + key.encode() + b'":['


def _joined(parts: Iterable[bytes], opening: bytes, closing: bytes) -> Iterator[bytes]:
    """Yield ``opening``, the parts separated by commas, and ``closing``, in ~64 KB chunks."""
    buffer, size, separator = [opening], len(opening), b""
    for part in parts:
        buffer += (separator, part)
        size += len(part) + 1
        separator = b","
        if size >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    buffer.append(closing)
    yield b"".join(buffer)


def _as_bytes(text: str | bytes) -> bytes:
    return text.encode() if isinstance(text, str) else text


def iter_release_package(
    *,
    releases: Iterable[str | bytes],
    uri: str,
    published_date: str | None = None,
    extensions: list[str] | None = None,
) -> Iterator[bytes]:
    """A release package whose ``releases`` are the given JSON texts, as a stream of bytes."""
    metadata = package_metadata(uri=uri, published_date=published_date, extensions=extensions)
    opening = _envelope(metadata, "releases")
    return _joined((_as_bytes(text) for text in releases), opening, b"]}")


def record_json(
    *, ocid: str, releases: Iterable[str | bytes], compiled: str, versioned: str | None
):
    """One record (embedded releases) assembled from stored texts, as bytes."""
    parts = [b'{"ocid":', orjson.dumps(ocid), b',"releases":[']
    parts.append(b",".join(_as_bytes(text) for text in releases))
    parts += [b'],"compiledRelease":', _as_bytes(compiled)]
    if versioned:
        parts += [b',"versionedRelease":', _as_bytes(versioned)]
    parts.append(b"}")
    return b"".join(parts)


def iter_record_package(
    *,
    records: Iterable[bytes],
    uri: str,
    published_date: str | None = None,
    extensions: list[str] | None = None,
) -> Iterator[bytes]:
    """A record package whose ``records`` are the given record JSON bytes, as a stream."""
    metadata = package_metadata(uri=uri, published_date=published_date, extensions=extensions)
    opening = _envelope(metadata, "records")
    return _joined(records, opening, b"]}")


# --- selectors over the stored data ------------------------------------------------------------


def declared_by(queryset: QuerySet, column: str = "extensions") -> list[str]:
    """The package ``extensions`` for the releases or records of ``queryset`` (one query over
    the distinct declarations, which are few); ``column`` leads to their ``extensions``."""
    rows = queryset.order_by().values_list(column, flat=True).distinct()
    return package_extensions(list(rows))


def stored_release_texts(*, queryset: QuerySet | None = None) -> Iterator[str]:
    """The JSON text of stored releases in publication order, read in chunks (server-side cursor
    on PostgreSQL), never all at once."""
    queryset = Release.objects.all() if queryset is None else queryset
    return queryset.order_by("pk").values_list("data", flat=True).iterator(ITERATOR_CHUNK)


def stored_records(*, queryset: QuerySet | None = None, versioned: bool = True) -> Iterator[bytes]:
    """Each stored record, with its releases embedded in date order."""
    queryset = Record.objects.all() if queryset is None else queryset
    rows = queryset.order_by("pk").values_list("ocid", "compiled_release", "versioned_release")
    for ocid, compiled, versioned_text in rows.iterator(ITERATOR_CHUNK // 10):
        texts = Release.objects.filter(ocid=ocid).order_by("date", "pk")
        yield record_json(
            ocid=ocid,
            releases=texts.values_list("data", flat=True),
            compiled=compiled,
            versioned=versioned_text if versioned else None,
        )
