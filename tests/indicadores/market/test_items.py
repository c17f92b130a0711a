"""The item search (indicadores/market/items.py): which items some words describe and how many
prices each has, from the catalogue of descriptions kept with the price rows."""

import json

import pytest
from django.core.management import call_command

from cms.roles import Role
from indicadores.market import items, selectors, services
from indicadores.market.extraction import description_key
from indicadores.market.models import PriceDescription, PriceObservation
from ocds_pages.models import Record
from tests.factories import make_member
from tests.indicadores.market.helpers import CUCOP, publish_priced
from tests.ocds_pages.factories import make_entity

pytestmark = pytest.mark.django_db

ITEMS = "/api/mercado/partidas/"
INJECTABLE = "25300099"
PAPER = "21100001"


@pytest.fixture
def market():
    """Paracetamol tablets (3 prices in Caja, 1 in Pieza), injectable paracetamol (2, Ampolleta),
    paper (1), and a tablet price in dollars (not in the default basket)."""
    entity = make_entity()
    for price in (10, 11, 12):
        publish_priced(entity, price)
    publish_priced(entity, 1, unit="Pieza", description="PARACETAMOL tabletas 500 mg")
    for price in (35, 36):
        publish_priced(
            entity, price, code=INJECTABLE, unit="Ampolleta", description="Paracetamol inyectable"
        )
    publish_priced(entity, 90, code=PAPER, unit="Paquete", description="Papel bond carta")
    dollars = publish_priced(entity, 2)
    PriceObservation.objects.filter(ocid=dollars).update(currency="USD")
    return entity


def listed(found: items.ItemSearch) -> list[tuple]:
    return [(i.classification_id, i.unit_key, i.prices) for i in found.items]


def test_words_find_each_item_with_its_prices_most_prices_first(market):
    found = items.find_items("paracetamol")
    assert listed(found) == [(CUCOP, "caja", 3), (INJECTABLE, "ampolleta", 2), (CUCOP, "pieza", 1)]
    assert (found.items_total, found.prices_total) == (3, 6)
    tablets = found.items[0]
    assert (tablets.family, tablets.unit_name) == ("253", "Caja")
    assert tablets.descriptions == [("Paracetamol 500 mg", 3)]


def test_every_word_must_match_without_accents_or_case(market):
    assert listed(items.find_items("INYECTABLE paracetamol")) == [(INJECTABLE, "ampolleta", 2)]
    assert listed(items.find_items("inyectable bond")) == []  # no description has both
    # The classification's own description is searched too (as in the price search).
    assert [i.prices for i in items.find_items("analgesicos").items] == [3, 2, 1, 1]


def test_item_counts_are_the_rows_of_the_basket_they_lead_to(market):
    for item in items.find_items("paracetamol").items:
        basket = selectors.search(
            texto="paracetamol", clasificacion=item.classification_id, unidad=item.unit_key
        )
        assert basket.count() == item.prices


def test_family_narrows_and_limit_cuts_the_list(market):
    assert listed(items.find_items("analgesicos", familia="211")) == [(PAPER, "paquete", 1)]
    found = items.find_items("paracetamol", limit=1)
    assert listed(found) == [(CUCOP, "caja", 3)] and found.items_total == 3


def test_a_short_word_alone_is_refused_in_spanish(market):
    with pytest.raises(items.ItemSearchError, match="al menos una palabra de 3 letras"):
        items.find_items("de 5")
    with pytest.raises(items.ItemSearchError):
        items.find_items("   ")


def test_the_search_reads_a_fixed_number_of_queries(market, django_assert_num_queries):
    with django_assert_num_queries(2):  # prices per description, then the listed descriptions
        items.find_items("paracetamol")


def test_a_republished_description_replaces_the_old_one_in_the_search(market):
    ocid = PriceObservation.objects.filter(unit_key="pieza").get().ocid
    record = Record.objects.get(ocid=ocid)
    release = json.loads(record.compiled_release)
    for award in release["awards"]:
        for item in award["items"]:
            item["description"] = "Ibuprofeno 400 mg"
    record.compiled_release = json.dumps(release)
    record.save(update_fields=["compiled_release"])

    services.refresh_local(record)

    assert listed(items.find_items("paracetamol"))[-1] == (INJECTABLE, "ampolleta", 2)
    assert listed(items.find_items("ibuprofeno")) == [(CUCOP, "pieza", 1)]
    # The old description stays in the catalogue with no prices, and is not listed.
    old = PriceDescription.objects.get(unit_key="pieza", description__startswith="PARA")
    stale = description_key(old.description_folded)
    assert not PriceObservation.objects.filter(description_key=stale).exists()


def test_rebuild_leaves_the_catalogue_the_publications_built(market):
    def catalogue():
        return set(
            PriceDescription.objects.values_list(
                "classification_id", "unit_key", "description_key", "description_folded"
            )
        )

    before = catalogue()
    PriceDescription.objects.all().delete()
    call_command("reconstruir_precios", verbosity=0)
    assert catalogue() == before
    assert len(before) == 4  # tablets in Caja (pesos and dollars) and Pieza, injectable, paper
    # The dollar price was only changed in its row: rebuilt from the published JSON, it is in
    # pesos again and counts.
    assert listed(items.find_items("paracetamol"))[0] == (CUCOP, "caja", 4)


def test_api_lists_the_items_with_a_link_to_their_price_references(client, market):
    body = client.get(ITEMS, {"texto": "paracetamol"}).json()
    assert (body["itemsTotal"], body["pricesTotal"]) == (3, 6)
    first = body["results"][0]
    assert first == {
        "classification": CUCOP,
        "family": "253",
        "unit": "Caja",
        "unitKey": "caja",
        "prices": 3,
        "descriptions": [{"description": "Paracetamol 500 mg", "prices": 3}],
        "pricesUrl": f"/api/mercado/precios/?clasificacion={CUCOP}",
    }
    references = client.get(first["pricesUrl"]).json()
    assert [group["key"] for group in references["byUnit"]] == ["caja", "pieza"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"texto": "de"}, "al menos una palabra de 3 letras"),
        ({"texto": "paracetamol", "limite": "0"}, "limite debe ser un entero entre 1 y 50"),
        ({"texto": "paracetamol", "clasificacion": CUCOP}, "clasificacion"),
        ({"texto": "paracetamol " * 20}, "texto admite hasta 200 caracteres"),
    ],
)
def test_api_errors_are_json_in_spanish(client, market, params, message):
    response = client.get(ITEMS, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] and message in body["message"]


def test_screen_lists_items_first_and_the_mixed_basket_only_when_asked(client, market):
    client.force_login(make_member(Role.CAPTURISTA, market))
    page = client.get("/tramite/mercado/", {"texto": "paracetamol"}).content.decode()
    assert "Partidas que coinciden" in page and "3 partidas" in page
    assert f'href="?clasificacion={CUCOP}"' in page
    assert 'data-testid="canasta"' not in page  # no mixed basket yet
    page = client.get("/tramite/mercado/", {"texto": "paracetamol", "canasta": "1"}).content
    assert b'data-testid="canasta"' in page and b"Partidas que coinciden" not in page


def test_the_item_search_is_in_the_openapi_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    names = {param["name"] for param in paths[ITEMS]["get"]["parameters"]}
    assert {"texto", "familia", "limite"} <= names


def test_screen_says_why_a_short_word_finds_nothing(client, market):
    client.force_login(make_member(Role.CAPTURISTA, market))
    page = client.get("/tramite/mercado/", {"texto": "de"}).content.decode()
    assert "Escriba al menos una palabra de 3 letras o más." in page
    assert "Partidas que coinciden" not in page
