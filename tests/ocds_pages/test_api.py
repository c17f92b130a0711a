"""The public OCDS API: releases, records, one release, one record, the package of a query."""

import gzip
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import orjson
import pytest
from django.core.cache import cache
from django.utils import timezone

from ocds_pages.models import Release
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import make_award_release, make_entity
from tests.ocds_pages.test_packages import offline_validator
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _api_settings(settings):
    cache.clear()  # throttle counters
    settings.OCDS_API_WATERMARK_SECONDS = 0
    yield
    cache.clear()


@pytest.fixture
def imss():
    return make_entity()


@pytest.fixture
def sep():
    return make_entity(key="SEP", name="Secretaría de Educación Pública", rfc="SEP210905778")


def get_json(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, response.content
    return response.json()


def next_link(response) -> str | None:
    """The URL of the ``Link: <…>; rel="next"`` header (RFC 8288), if any."""
    link = response.headers.get("Link", "")
    return link[1 : link.index(">")] if 'rel="next"' in link else None


def follow_all(client, url) -> list[dict]:
    """Every release or record, following the Link header until it disappears."""
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        package = response.json()
        assert "links" not in package  # not part of the 1.1.5 package schemas
        items += package.get("releases", package.get("records", []))
        url = next_link(response)
        pages += 1
        assert pages < 100
    return items


# --- releases ---------------------------------------------------------------------------------


def test_release_list_is_a_valid_release_package_at_the_top_level(client, imss):
    publish_process(imss)
    publish_process(imss, awarded=False)

    response = client.get("/api/ocds/releases/")

    package = response.json()
    assert list(offline_validator("release-package-schema.json").iter_errors(package)) == []
    assert [release["tag"] for release in package["releases"]] == [
        ["tender"],
        ["award"],
        ["tender"],
    ]
    assert "links" not in package and next_link(response) is None
    assert response["X-Total-Count"] == "3"


def test_keyset_pages_follow_links_next_and_cover_everything_once(client, imss):
    for _ in range(4):
        publish_process(imss)

    first = client.get("/api/ocds/releases/?limit=3")
    releases = follow_all(client, "/api/ocds/releases/?limit=3")

    assert len(first.json()["releases"]) == 3
    assert 'rel="next"' in first["Link"]
    assert first["X-Total-Count"] == "8"
    ids = [release["id"] for release in releases]
    assert len(ids) == 8 == len(set(ids))


def test_publishing_while_paging_never_skips_nor_repeats(client, imss):
    for _ in range(3):
        publish_process(imss)
    before = set(Release.objects.values_list("release_id", flat=True))

    response = client.get("/api/ocds/releases/?limit=4")
    first = response.json()
    added = publish_process(imss)  # two more releases, published between page 1 and page 2
    rest = follow_all(client, next_link(response))

    ids = [release["id"] for release in first["releases"] + rest]
    assert len(ids) == len(set(ids))
    assert set(ids) == before | {f"{added}-0001", f"{added}-0002"}


def test_changes_younger_than_the_watermark_are_hidden(client, imss, settings):
    publish_process(imss)
    settings.OCDS_API_WATERMARK_SECONDS = 60

    package = get_json(client, "/api/ocds/releases/")

    assert package["releases"] == []


def test_filters_by_ocid_entity_method_tag_and_dates(client, imss, sep):
    direct = publish_process(imss, method="direct")
    publish_process(imss, year=2024)
    educacion = publish_process(sep, awarded=False)

    def ids(query):
        return [r["id"] for r in get_json(client, f"/api/ocds/releases/?{query}")["releases"]]

    assert ids(f"ocid={direct}") == [f"{direct}-0001", f"{direct}-0002"]
    assert ids("entity=SEP") == [f"{educacion}-0001"]
    assert ids("procurementMethod=direct") == [f"{direct}-0001", f"{direct}-0002"]
    assert len(ids("tag=award")) == 2
    assert len(ids("tag=award,tender")) == 5
    assert len(ids("dateFrom=2025-01-01&dateTo=2025-12-31")) == 3
    assert len(ids("dateTo=2024-12-31")) == 2


def test_since_is_a_change_feed(client, imss):
    publish_process(imss)
    moment = timezone.now()
    later = publish_process(imss)

    since = moment.isoformat()
    package = get_json(client, "/api/ocds/releases/", data={"since": since})

    assert {release["ocid"] for release in package["releases"]} == {later}


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("cursor=nada", "cursor no es válido"),
        ("cursor=WyJyZWNvcmRzIiwiMjAyNSIsMV0", "cursor no es válido"),
        ("dateFrom=ayer", "dateFrom"),
        ("dateFrom=2025-02-30", "dateFrom"),
        ("dateFrom=2025-03-01&dateTo=2025-01-01", "posterior"),
        ("since=2025-01-01T10:00:00", "since"),
        ("tag=adjudicacion", "Valor no admitido en tag"),
        ("procurementMethod=abierta", "Valor no admitido en procurementMethod"),
        ("entity=NOEXISTE", "No existe el ente"),
        ("limit=0", "limit"),
        ("limit=mil", "limit"),
        ("ente=IMSS", "Parámetro desconocido: ente"),
    ],
)
def test_bad_parameters_are_400_in_spanish(client, query, fragment):
    response = client.get(f"/api/ocds/releases/?{query}")

    assert response.status_code == 400
    assert response.json()["code"] == "solicitud_invalida"
    assert fragment in response.json()["message"]


def test_etag_gives_304_until_something_changes(client, imss):
    publish_process(imss)
    first = client.get("/api/ocds/releases/")

    again = client.get("/api/ocds/releases/", HTTP_IF_NONE_MATCH=first["ETag"])
    publish_process(imss)
    changed = client.get("/api/ocds/releases/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert changed.status_code == 200


def test_one_release_as_a_package_with_etag(client, imss):
    ocid = publish_process(imss)
    url = f"/api/ocds/releases/{ocid}/{ocid}-0002/"

    response = client.get(url)
    cached = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])

    package = response.json()
    assert list(offline_validator("release-package-schema.json").iter_errors(package)) == []
    assert [release["id"] for release in package["releases"]] == [f"{ocid}-0002"]
    assert cached.status_code == 304


def test_unknown_release_and_record_are_404_json(client):
    for url in ("/api/ocds/releases/x/y/", "/api/ocds/records/ocds-cidemo-X-000001/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "no_encontrado"


def test_release_package_for_a_query_streams_every_match(client, imss, sep):
    for _ in range(3):
        publish_process(imss)
    publish_process(sep)

    response = client.get("/api/ocds/release-package/?entity=IMSS")

    package = orjson.loads(b"".join(response.streaming_content))
    assert list(offline_validator("release-package-schema.json").iter_errors(package)) == []
    assert len(package["releases"]) == 6
    assert response["X-Total-Count"] == "6"


def test_release_package_has_an_etag_and_a_304_until_a_release_is_added(client, imss):
    publish_process(imss)
    first = client.get("/api/ocds/release-package/?entity=IMSS")

    again = client.get("/api/ocds/release-package/?entity=IMSS", HTTP_IF_NONE_MATCH=first["ETag"])
    publish_process(imss)
    changed = client.get("/api/ocds/release-package/?entity=IMSS", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith('W/"')
    assert again.status_code == 304
    assert changed.status_code == 200
    assert len(orjson.loads(b"".join(changed.streaming_content))["releases"]) == 4


def test_a_bad_parameter_is_answered_400_even_with_if_none_match(client, imss):
    response = client.get("/api/ocds/releases/?limit=0", HTTP_IF_NONE_MATCH="*")

    assert response.status_code == 400
    assert "ETag" not in response


def test_release_package_over_the_limit_points_to_bulk(client, imss, settings):
    publish_process(imss)
    settings.OCDS_API_PACKAGE_MAX_RELEASES = 1

    response = client.get("/api/ocds/release-package/")

    assert response.status_code == 400
    assert "/api/ocds/bulk/" in response.json()["message"]


# --- records ----------------------------------------------------------------------------------


def test_record_list_is_a_valid_record_package_with_releases_and_compiled(client, imss):
    ocid = publish_process(imss)
    publish_process(imss, awarded=False)

    package = get_json(client, "/api/ocds/records/")

    assert list(offline_validator("record-package-schema.json").iter_errors(package)) == []
    first = package["records"][0]
    assert first["ocid"] == ocid
    assert [release["tag"] for release in first["releases"]] == [["tender"], ["award"]]
    assert first["compiledRelease"]["tag"] == ["compiled"]


def test_record_pages_with_cursor(client, imss):
    published = {publish_process(imss) for _ in range(5)}

    records = follow_all(client, "/api/ocds/records/?limit=2")

    assert sorted(record["ocid"] for record in records) == sorted(published)


def test_a_record_updated_while_paging_comes_back_at_the_end(client, imss):
    first_ocid = publish_process(imss, awarded=False)
    for _ in range(2):
        publish_process(imss)
    response = client.get("/api/ocds/records/?limit=2")
    page = response.json()
    assert page["records"][0]["ocid"] == first_ocid

    publish_release(release=make_award_release(ocid=first_ocid, entity=imss), entity=imss)
    rest = follow_all(client, next_link(response))

    assert [record["ocid"] for record in rest][-1] == first_ocid
    assert len(rest[-1]["releases"]) == 2
    seen = [record["ocid"] for record in page["records"] + rest]
    assert len(set(seen)) == 3


def test_one_record_is_a_record_package_with_versioned_release(client, imss):
    ocid = publish_process(imss)

    response = client.get(f"/api/ocds/records/{ocid}/")
    cached = client.get(f"/api/ocds/records/{ocid}/", HTTP_IF_NONE_MATCH=response["ETag"])

    package = response.json()
    assert list(offline_validator("record-package-schema.json").iter_errors(package)) == []
    record = package["records"][0]
    assert record["ocid"] == ocid
    assert "versionedRelease" in record
    assert len(record["releases"]) == 2
    assert cached.status_code == 304


def test_record_list_refuses_the_tag_filter_and_release_cursors(client, imss):
    publish_process(imss)
    publish_process(imss)
    release_cursor = parse_qs(urlparse(next_link(client.get("/api/ocds/releases/?limit=1"))).query)[
        "cursor"
    ][0]

    assert client.get("/api/ocds/records/?tag=award").status_code == 400
    assert client.get(f"/api/ocds/records/?cursor={release_cursor}").status_code == 400


# --- cost of the hot views ----------------------------------------------------------------------


def test_release_page_costs_two_queries_whatever_its_size(client, imss, django_assert_num_queries):
    for _ in range(5):
        publish_process(imss)
    with django_assert_num_queries(2):
        client.get("/api/ocds/releases/?limit=2")
    with django_assert_num_queries(2):
        client.get("/api/ocds/releases/?limit=500")


def test_record_page_costs_three_queries(client, imss, django_assert_num_queries):
    for _ in range(5):
        publish_process(imss)
    with django_assert_num_queries(3):
        client.get("/api/ocds/records/?limit=10")


def test_one_record_costs_two_queries_and_a_304_one(client, imss, django_assert_num_queries):
    ocid = publish_process(imss)
    etag = client.get(f"/api/ocds/records/{ocid}/")["ETag"]
    with django_assert_num_queries(2):
        client.get(f"/api/ocds/records/{ocid}/")
    with django_assert_num_queries(1):
        client.get(f"/api/ocds/records/{ocid}/", HTTP_IF_NONE_MATCH=etag)


# --- protection and transport -------------------------------------------------------------------


def test_cors_allows_any_origin_on_public_reads(client, imss):
    publish_process(imss)

    response = client.get("/api/ocds/releases/", HTTP_ORIGIN="https://ocds-show.example")

    assert response["Access-Control-Allow-Origin"] == "*"


def test_gzip_when_accepted(client, imss):
    publish_process(imss)

    response = client.get("/api/ocds/records/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert orjson.loads(gzip.decompress(response.content))["records"]


def test_anonymous_throttle_is_429_with_retry_after(client, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], anon="3/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    statuses = [client.get("/api/ocds/releases/").status_code for _ in range(4)]
    refused = client.get("/api/ocds/records/")

    assert statuses == [200, 200, 200, 429]
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "demasiadas_solicitudes"


def test_since_a_future_moment_is_empty_not_an_error(client, imss):
    publish_process(imss)
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()

    package = get_json(client, "/api/ocds/records/", data={"since": tomorrow})

    assert package["records"] == []


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/ocds/no-existe/")

    assert response.status_code == 404
    assert response.json()["code"] == "no_encontrado"


def test_a_list_url_without_its_final_slash_is_redirected(client):
    response = client.get("/api/ocds/releases?limit=5")

    assert response.status_code == 301
    assert response["Location"] == "/api/ocds/releases/?limit=5"
