"""Each client against its fake, answers held to the specification's schema."""

import pytest

from devtools.fake_pdn import FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, KNOWN
from integraciones.clients import (
    S1V2Client,
    S2V1Client,
    S2V2Client,
    S3V1Client,
    S3V2Client,
    client_for,
)
from integraciones.exceptions import AuthenticationError, ConfigurationError
from integraciones.models import RegistryProvider
from integraciones.spec_schemas import errors_for

pytestmark = pytest.mark.django_db

S2_V1_SPEC = "s2-servidores-intervienen-contrataciones-openapi.json"
S2_V2_SPEC = "s2-v2-especificacion-tecnica.yaml"
S2_V2_LIST = "#/components/responses/ListaServidoresExitosa/content/application~1json/schema"
S3S_SPEC = "s3s-servidores-sancionados-openapi.json"
S3P_SPEC = "s3p-particulares-sancionados-openapi.json"
S3_V2_SPEC = "s3-v2-faltas-administrativas-openapi.json"
S1_SPEC = "s1-declaraciones-inicial-openapi.json"


def test_s2_v1_search_follows_the_spec_and_sends_credentials_like_the_pdn(make_fake, make_provider):
    fake = make_fake("s2", "v1")
    client = client_for(provider=make_provider(fake))
    assert isinstance(client, S2V1Client)

    payload = client.search(collection="spic", page=1, page_size=10)

    assert errors_for(S2_V1_SPEC, "#/components/schemas/resSpic", payload) == []
    assert payload["pagination"]["hasNextPage"] is True
    token_call = fake.token_requests[0]
    assert token_call["basic"] == (FAKE_CLIENT_ID, FAKE_CLIENT_SECRET)
    assert token_call["form"]["client_id"] == FAKE_CLIENT_ID
    assert token_call["form"]["grant_type"] == "password"


def test_s2_v1_institutions_catalogue(make_fake, make_provider):
    client = client_for(provider=make_provider(make_fake("s2", "v1")))

    institutions = client.institutions(collection="spic")

    assert errors_for(S2_V1_SPEC, "#/components/schemas/dependencias", institutions) == []
    assert {"nombre", "siglas", "clave"} <= set(institutions[0])


def test_s2_v2_items_follow_the_spec(make_fake, make_provider):
    client = client_for(provider=make_provider(make_fake("s2", "v2")))
    assert isinstance(client, S2V2Client)

    payload = client.items(collection=client.collections[0], limit=7, offset=0)

    assert errors_for(S2_V2_SPEC, S2_V2_LIST, payload) == []
    assert len(payload["data"]) == 7
    assert payload["meta"]["total_count"] == 23


def test_s3_v1_both_endpoints_follow_their_specs(make_fake, make_provider):
    client = client_for(provider=make_provider(make_fake("s3", "v1")))
    assert isinstance(client, S3V1Client)

    servants = client.search(collection="ssancionados", page=1, page_size=50)
    private = client.search(collection="psancionados", page=1, page_size=50)

    assert errors_for(S3S_SPEC, "#/components/schemas/ssancionados", servants) == []
    assert errors_for(S3P_SPEC, "#/components/schemas/resParticularesSancionados", private) == []
    rfcs = {r["particularSancionado"].get("rfc") for r in private["results"]}
    assert KNOWN["s3_company"]["rfc"] in rfcs


@pytest.mark.parametrize(
    "collection, schema",
    [
        ("faltas_administrativas_graves", "inline_response_200_40"),
        ("faltas_graves_personas_morales", "inline_response_200_46"),
        ("faltas_administrativas_no_graves", "inline_response_200_52"),
        ("faltas_graves_personas_fisicas", "inline_response_200_58"),
    ],
)
def test_s3_v2_collections_follow_the_spec(make_fake, make_provider, collection, schema):
    client = client_for(provider=make_provider(make_fake("s3", "v2")))
    assert isinstance(client, S3V2Client)

    payload = client.items(collection=collection, limit=50)

    assert errors_for(S3_V2_SPEC, f"#/components/schemas/{schema}", payload) == []
    assert len(payload["data"]) == 23


def test_s1_declarations_follow_the_spec_and_ask_for_the_scope(make_fake, make_provider):
    fake = make_fake("s1", "v2")
    client = client_for(provider=make_provider(fake))
    assert isinstance(client, S1V2Client)

    payload = client.search(collection="declaraciones", page=1, page_size=3)

    assert errors_for(S1_SPEC, "#/components/schemas/resDeclaraciones", payload) == []
    assert fake.token_requests[0]["form"]["scope"] == "read:declaraciones"


def test_s1_provider_without_the_declarations_scope_is_a_configuration_error(make_fake):
    fake = make_fake("s1", "v2")
    provider = RegistryProvider(**fake.provider_fields(name="s1-sin-alcance", scope="read"))

    with pytest.raises(ConfigurationError, match="read:declaraciones"):
        client_for(provider=provider)


def test_missing_credentials_are_a_configuration_error(make_fake):
    fake = make_fake("s3", "v1")
    provider = RegistryProvider(**fake.provider_fields(name="s3-sin-clave", client_secret=""))

    with pytest.raises(ConfigurationError, match="client_secret"):
        client_for(provider=provider)


def test_v2_without_token_and_s1_v1_are_configuration_errors(make_fake):
    fake = make_fake("s3", "v2")
    without_token = RegistryProvider(**fake.provider_fields(name="s3v2", token=""))
    s1_v1 = RegistryProvider(name="s1v1", system="s1", version="v1", url=fake.url)

    with pytest.raises(ConfigurationError, match="token"):
        client_for(provider=without_token)
    with pytest.raises(ConfigurationError, match="S1"):
        client_for(provider=s1_v1)


def test_wrong_password_is_an_authentication_error(make_fake, make_provider):
    provider = make_provider(make_fake("s2", "v1"), password="otra")

    with pytest.raises(AuthenticationError):
        client_for(provider=provider).search(collection="spic")


def test_wrong_static_token_is_an_authentication_error(make_fake, make_provider):
    provider = make_provider(make_fake("s2", "v2"), token="otro")
    client = client_for(provider=provider)

    with pytest.raises(AuthenticationError):
        client.items(collection=client.collections[0])
