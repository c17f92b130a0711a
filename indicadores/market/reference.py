"""Reference market data from other publishers: bulk files, a harvester of OCDS APIs and one of
the PDN's S6 (the open-contracting API of the Plataforma Digital Nacional).

Stored in ``ReferenceRecord`` (never in ``ocds_pages``' releases or records), so nothing of it is
served by this installation's OCDS API, S6 or bulk files; its prices enter the market research
labelled with the dataset's name (docs/mercado.md).
"""

from collections.abc import Callable

import orjson
import requests
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicadores.market.models import ReferenceDataset, ReferenceRecord
from indicadores.market.services import refresh_reference
from ocds_pages.compile import compile_releases
from ocds_pages.importer import releases_of_record

TIMEOUT = 30
S6_PAGE_SIZE = 200  # the most the S6 specification allows


class HarvestError(Exception):
    """The other installation did not answer as an OCDS API; the message is Spanish."""


def _compiled(releases: list[dict]) -> dict:
    if len(releases) == 1 and "tag" not in releases[0]:
        return releases[0]  # already a compiled release
    return compile_releases(releases).compiled


@transaction.atomic
def keep(dataset: ReferenceDataset, compiled_by_ocid: dict[str, dict]) -> int:
    kept = []
    for ocid, compiled in compiled_by_ocid.items():
        record, _created = ReferenceRecord.objects.update_or_create(
            dataset=dataset,
            ocid=ocid,
            defaults={"compiled_release": orjson.dumps(compiled).decode()},
        )
        kept.append(record)
    refresh_reference(kept)
    dataset.records = dataset.reference_records.count()
    dataset.last_loaded_at = timezone.now()
    dataset.save(update_fields=["records", "last_loaded_at", "cursor"])
    return len(kept)


def store_bulk(name: str, releases_by_ocid: dict[str, list[dict]]) -> int:
    """The store ``importar_ocds --referencia`` hands its files to (ocds_pages.reference)."""
    dataset, _created = ReferenceDataset.objects.get_or_create(
        name=name[:200], defaults={"kind": ReferenceDataset.Kind.BULK}
    )
    compiled = {ocid: _compiled(releases) for ocid, releases in releases_by_ocid.items()}
    return keep(dataset, compiled)


def _next_url(response, body: dict) -> str:
    link = (body.get("links") or {}).get("next") if isinstance(body, dict) else None
    return link or response.links.get("next", {}).get("url", "")


def _page(url: str) -> tuple[dict[str, dict], str]:
    try:
        response = requests.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError) as error:
        raise HarvestError(
            _("%(url)s no respondió: %(error)s") % {"url": url, "error": error}
        ) from error
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise HarvestError(_("%(url)s no es un paquete de registros OCDS.") % {"url": url})
    compiled = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not record.get("ocid"):
            continue
        if isinstance(record.get("compiledRelease"), dict):
            compiled[record["ocid"]] = record["compiledRelease"]
            continue
        # Otherwise the releases the importer reads from a record: the embedded ones, or those
        # its versionedRelease records (linked releases alone carry no data).
        releases = [
            item.release
            for item in releases_of_record(record, f"{url}#/records/{index}")
            if item.release is not record
        ]
        if releases:
            compiled[record["ocid"]] = _compiled(releases)
    return compiled, _next_url(response, body)


def harvest(
    dataset: ReferenceDataset,
    *,
    progress: Callable[[int], None] | None = None,
    max_pages: int | None = None,
) -> int:
    """Page the other installation's record list from where the last run stopped.

    The next page's address is saved with each page, so an interrupted harvest resumes there; a
    finished one starts again from the list's first page on the next run (catching up).
    """
    url, pages, kept = dataset.cursor or dataset.url, 0, 0
    while url and (max_pages is None or pages < max_pages):
        compiled, following = _page(url)
        dataset.cursor = following
        kept += keep(dataset, compiled)
        pages += 1
        if progress:
            progress(len(compiled))
        url = following
    return kept


# --- the PDN's S6 ---------------------------------------------------------------------------------
# POST {page, pageSize} to the API with a bearer token from an OAuth 2.0 password grant; the answer
# is {pagination: {page, pageSize, totalRows, hasNextPage}, results: [OCDS releases]}.


def _s6_token(dataset: ReferenceDataset) -> str:
    try:
        response = requests.post(
            dataset.token_url,
            data={
                "grant_type": "password",
                "username": dataset.username,
                "password": dataset.password,
            },
            auth=(dataset.client_id, dataset.client_secret),
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise HarvestError(
            _("%(url)s no dio un token para el S6: %(error)s")
            % {"url": dataset.token_url, "error": error}
        ) from error


def _s6_page(dataset: ReferenceDataset, token: str, page: int) -> requests.Response:
    try:
        return requests.post(
            dataset.url,
            json={"page": page, "pageSize": S6_PAGE_SIZE},
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise HarvestError(
            _("%(url)s no respondió: %(error)s") % {"url": dataset.url, "error": error}
        ) from error


def _s6_body(dataset: ReferenceDataset, response: requests.Response, page: int) -> tuple:
    """(releases, totalRows, hasNextPage) of a page, or HarvestError saying what was wrong."""
    try:
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError) as error:
        raise HarvestError(
            _("%(url)s falló en la página %(page)s: %(error)s")
            % {"url": dataset.url, "page": page, "error": error}
        ) from error
    pagination = body.get("pagination") if isinstance(body, dict) else None
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(pagination, dict) or not isinstance(results, list):
        raise HarvestError(
            _("%(url)s no respondió como el S6 de la PDN (faltan pagination o results).")
            % {"url": dataset.url}
        )
    total = pagination.get("totalRows")
    return results, total if isinstance(total, int) else None, pagination.get("hasNextPage") is True


def harvest_s6(
    dataset: ReferenceDataset,
    *,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int | None], None] | None = None,
    max_pages: int | None = None,
) -> int:
    """Page the S6 from where the last run stopped (``dataset.cursor`` keeps the next page).

    Each result is a release; the releases of one ocid in a page are compiled together and
    replace what the dataset had for that ocid (the S6 answers one release per process with all
    its stages). A token that expires mid-harvest is asked for again once. The page count from
    ``totalRows`` bounds the walk, so a ``hasNextPage`` that never ends cannot loop forever.
    """
    page, pages, kept = int(dataset.cursor or 1), 0, 0
    token = _s6_token(dataset)
    while max_pages is None or pages < max_pages:
        response = _s6_page(dataset, token, page)
        if response.status_code == 401:
            token = _s6_token(dataset)
            response = _s6_page(dataset, token, page)
        results, rows, more = _s6_body(dataset, response, page)
        if total:
            total(rows)
        by_ocid: dict[str, list[dict]] = {}
        for release in results:
            if isinstance(release, dict) and release.get("ocid"):
                by_ocid.setdefault(str(release["ocid"]), []).append(release)
        last_page = -(-rows // S6_PAGE_SIZE) if rows else page
        more = more and bool(results) and page < last_page
        dataset.cursor = str(page + 1) if more else ""
        kept += keep(dataset, {ocid: _compiled(found) for ocid, found in by_ocid.items()})
        pages += 1
        if progress:
            progress(len(results))
        if not more:
            break
        page += 1
    return kept
