"""The S6 refuses what its documentation refuses, as a Spanish 400 (issue 20, items 5 and 10)."""

import pytest

from tests.integraciones.pdn_client import pdn, pdn_token  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

URLS = ["/api/s6/contrataciones-abiertas", "/api/s6/v1/records"]


@pytest.fixture
def post(pdn, settings):  # noqa: F811
    settings.DEBUG = False
    pdn.raise_request_exception = False
    token = pdn_token(pdn)

    def send(url, raw):
        return pdn.post(
            url, raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return send


def refused(response, words):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "solicitud_invalida"
    assert words in body["message"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "está vacío"),
        (b'{"query":{"ocid":{"$ne":null}}}', "debe ser de tipo texto"),
        (b'{"page":99999999999999999999999}', "Página inválida"),
        (b"[" * 10_000 + b"]" * 10_000, "no es JSON válido"),
    ],
)
def test_malformed_queries_are_refused(post, url, raw, words):
    refused(post(url, raw), words)


def test_nul_characters_are_refused(post):
    refused(post(URLS[0], b'{"query":{"title":"\\u0000"}}'), "caracteres nulos")
    refused(post(URLS[1], b'{"query":{"tender":{"title":"a\\u0000"}}}'), "caracteres nulos")


def test_an_empty_sort_direction_is_refused(post):
    refused(post(URLS[0], b'{"sort":{"title":""}}'), "Valor no admitido en sort/title")


def test_empty_object_still_asks_for_everything(post):
    for url in URLS:
        assert post(url, b"{}").status_code == 200


@pytest.mark.parametrize(
    ("url", "raw"),
    [
        (URLS[0], b'{"query":{"tenderStartDate":"0149-03-20T16:29:43.8-23:26"}}'),
        (URLS[1], b'{"query":{"tender":{"tenderPeriod":{"endDate":"2025-06-14T15:52:18+19:49"}}}}'),
    ],
)
def test_offsets_postgresql_cannot_store_are_compared_in_utc(post, url, raw):
    # Found by tests/cms/test_api_fuzz.py on PostgreSQL (offsets beyond ±15:59 answered 500).
    assert post(url, raw).status_code == 200


def test_a_date_that_leaves_the_calendar_in_utc_is_refused(post):
    refused(post(URLS[0], b'{"query":{"tenderEndDate":"0001-01-01T00:00:00+05:00"}}'), "fuera")
