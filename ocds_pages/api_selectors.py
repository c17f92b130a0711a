"""Selectors of the public OCDS API: keyset pages over releases and records.

Paging never uses OFFSET (docs/arquitectura.md §6: deep offsets cost more and, worse, skip or repeat
items when rows are added while a client pages). Releases are append-only and ordered by primary
key; records change, so they are ordered by (updated_at, pk) — a record recompiled while a client
pages moves to the end and is served again in its new version, which is what a change feed must
do. Changes younger than OCDS_API_WATERMARK_SECONDS are hidden: a transaction that commits late
can then never land behind a position a client has already passed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from ocds_pages.api_params import ListRequest, encode_cursor
from ocds_pages.models import Record, Release


def horizon() -> datetime:
    """Changes stored after this moment are not served yet (the watermark)."""
    return timezone.now() - timedelta(seconds=settings.OCDS_API_WATERMARK_SECONDS)


def visible_releases() -> QuerySet[Release]:
    """Releases old enough to serve (the filters of api_params narrow them further)."""
    return Release.objects.filter(created_at__lte=horizon())


def visible_records() -> QuerySet[Record]:
    """Records whose last change is old enough to serve."""
    return Record.objects.filter(updated_at__lte=horizon())


@dataclass(frozen=True)
class KeysetPage:
    total: int
    rows: list
    next_cursor: str | None


def release_page(request: ListRequest) -> KeysetPage:
    """(pk, JSON text, declared extensions) of one page of releases, the total and the cursor of
    the next page."""
    queryset = request.queryset
    total = queryset.count()
    if request.cursor:
        queryset = queryset.filter(pk__gt=request.cursor[0])
    columns = ("pk", "data", "extensions")
    rows = list(queryset.order_by("pk").values_list(*columns)[: request.limit + 1])
    following = None
    if len(rows) > request.limit:
        rows = rows[: request.limit]
        following = encode_cursor("releases", rows[-1][0])
    return KeysetPage(total=total, rows=rows, next_cursor=following)


def _after(updated_at: str, pk: int) -> Q:
    moment = datetime.fromisoformat(updated_at)
    return Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk)


def record_page(request: ListRequest) -> KeysetPage:
    """(pk, ocid, compiled text, updated_at, declared extensions) of one page of records, total
    and next cursor."""
    queryset = request.queryset
    total = queryset.count()
    if request.cursor:
        queryset = queryset.filter(_after(*request.cursor))
    columns = ("pk", "ocid", "compiled_release", "updated_at", "extensions")
    rows = list(queryset.order_by("updated_at", "pk").values_list(*columns)[: request.limit + 1])
    following = None
    if len(rows) > request.limit:
        rows = rows[: request.limit]
        last = rows[-1]
        following = encode_cursor("records", last[3].isoformat(), last[0])
    return KeysetPage(total=total, rows=rows, next_cursor=following)


def release_texts_by_ocid(ocids: list[str]) -> dict[str, list[str]]:
    """The releases of several processes in one query, grouped, in date order."""
    grouped: dict[str, list[str]] = {}
    rows = Release.objects.filter(ocid__in=ocids).order_by("ocid", "date", "pk")
    for ocid, text in rows.values_list("ocid", "data"):
        grouped.setdefault(ocid, []).append(text)
    return grouped
