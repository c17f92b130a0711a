"""Process search: text, each filter, sorting, pagination, counts and shareable URLs."""

import re

import pytest

from ocds_pages.models import ProcessProjection

pytestmark = pytest.mark.django_db


def result_ocids(response) -> list[str]:
    return [process.ocid for process in response.context["page_obj"].object_list]


def search(client, **params):
    response = client.get("/procesos/", params)
    assert response.status_code == 200
    return response


def test_without_filters_lists_every_process_newest_first(client, public_dataset):
    response = search(client)

    ocids = result_ocids(response)
    assert len(ocids) == 5
    dates = list(
        ProcessProjection.objects.order_by("-last_release_date").values_list("ocid", flat=True)
    )
    assert ocids == dates
    assert "5 procesos encontrados" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("genéricos", "medicamentos"),  # title
        ("MEDICAMENTOS genericos", "medicamentos"),  # upper case, no accent, two words
        ("amoxicilina", "medicamentos"),  # an item's description
        ("paracet", "medicamentos"),  # part of a word
        ("Pérez", "carretera"),  # a supplier's name, accented
        ("perez asociados", "carretera"),
        ("limpieza integral", "limpieza"),
    ],
)
def test_text_search_covers_title_items_and_supplier_names(client, public_dataset, query, expected):
    assert result_ocids(search(client, q=query)) == [public_dataset[expected]]


def test_text_search_covers_the_buyer_name(client, public_dataset):
    ocids = set(result_ocids(search(client, q="infraestructura comunicaciones")))

    assert ocids == {
        public_dataset["carretera"],
        public_dataset["computadoras"],
        public_dataset["botiquines"],
    }


def test_text_search_finds_by_ocid(client, public_dataset):
    assert result_ocids(search(client, q=public_dataset["limpieza"])) == [
        public_dataset["limpieza"]
    ]


def test_a_word_nobody_used_finds_nothing_and_says_so(client, public_dataset):
    response = search(client, q="helicópteros")

    assert result_ocids(response) == []
    assert "0 procesos encontrados" in response.content.decode()
    assert "Ningún proceso coincide" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ente": "IMSS"}, {"medicamentos", "limpieza"}),
        ({"unidad": "009000987"}, {"carretera", "computadoras", "botiquines"}),
        ({"procedimiento": "direct"}, {"computadoras", "botiquines"}),
        ({"procedimiento": "selective"}, {"limpieza"}),
        (
            {"estado": "active"},
            {"medicamentos", "limpieza", "carretera", "computadoras", "botiquines"},
        ),
        ({"anio": "2024"}, {"limpieza", "computadoras"}),
        ({"anio": "2025", "ente": "SICT"}, {"carretera", "botiquines"}),
        ({"monto_min": "1000000"}, {"limpieza", "carretera", "computadoras"}),
        ({"monto_max": "600000"}, {"medicamentos", "botiquines"}),
        ({"monto_min": "500000", "monto_max": "1500000"}, {"medicamentos", "limpieza"}),
        ({"proveedor": "MME920427EM3"}, {"medicamentos", "botiquines"}),
        ({"proveedor": "MX-RFC-CPE050505XY2"}, {"carretera"}),
        ({"clasificacion": "25300011"}, {"medicamentos"}),
        ({"clasificacion": "253"}, {"medicamentos"}),
        ({"q": "genéricos", "ente": "SICT"}, set()),
        ({"q": "medicamentos", "ente": "SICT"}, {"botiquines"}),  # its supplier's name
    ],
)
def test_filters(client, public_dataset, params, expected):
    ocids = set(result_ocids(search(client, **params)))

    assert ocids == {public_dataset[name] for name in expected}


def test_amounts_sort_largest_first_and_smallest_first(client, public_dataset):
    descending = result_ocids(search(client, orden="monto_desc"))
    ascending = result_ocids(search(client, orden="monto_asc"))

    # 12.4 M (road) > 2.6 M (laptops) > 1.14 M (cleaning) > 558 k (medicines) > 255 k (kits)
    names = ["carretera", "computadoras", "limpieza", "medicamentos", "botiquines"]
    assert descending == [public_dataset[name] for name in names]
    assert ascending == list(reversed(descending))


def test_title_sort(client, public_dataset):
    titles = [p.title for p in search(client, orden="titulo").context["page_obj"].object_list]

    assert titles == sorted(titles)


def test_relevance_sort_without_text_falls_back_to_newest(client, public_dataset):
    assert result_ocids(search(client, orden="relevancia")) == result_ocids(search(client))


def test_pagination_keeps_the_filters_in_the_links(client, public_dataset, monkeypatch):
    monkeypatch.setattr("ocds_pages.views.PAGE_SIZE", 2)

    first = search(client, ente="SICT")
    second = search(client, ente="SICT", pagina="2")

    html = first.content.decode()
    assert first.context["paginator"].count == 3
    assert "mostrando del 1 al 2" in html
    assert re.search(r'href="\?ente=SICT&amp;pagina=2"', html)
    assert "Página 1 de 2" in html
    assert len(result_ocids(second)) == 1
    assert not set(result_ocids(first)) & set(result_ocids(second))


def test_a_page_past_the_end_shows_the_last_page(client, public_dataset):
    response = search(client, pagina="99")

    assert response.context["page_obj"].number == 1


def test_an_invalid_filter_is_reported_and_ignored(client, public_dataset):
    response = search(client, anio="dos mil", ente="IMSS")

    assert set(result_ocids(response)) == {
        public_dataset["medicamentos"],
        public_dataset["limpieza"],
    }
    assert "Introduzca un número" in response.content.decode()


def test_minimum_above_maximum_is_explained_in_spanish(client, public_dataset):
    response = search(client, monto_min="5", monto_max="1")

    assert "El monto máximo debe ser mayor o igual al mínimo." in response.content.decode()


def test_form_fields_have_labels_and_keep_the_values_of_the_url(client, public_dataset):
    html = search(client, q="medicamentos", procedimiento="open").content.decode()

    for field in ["q", "ente", "unidad", "procedimiento", "estado", "anio", "monto_min"]:
        assert f'for="id_{field}"' in html
    assert 'value="medicamentos"' in html
    assert '<option value="open" selected>Licitación pública</option>' in html
    assert "Instituto Mexicano del Seguro Social" in html  # entity choices come from the data


def test_past_the_count_limit_the_page_says_more_than(client, public_dataset, monkeypatch):
    monkeypatch.setattr("ocds_pages.public_search.COUNT_LIMIT", 3)
    monkeypatch.setattr("ocds_pages.views.PAGE_SIZE", 2)

    capped = search(client)
    exact = search(client, ente="SICT")  # exactly 3: not «más de»

    html = capped.content.decode()
    assert capped.context["paginator"].capped
    assert "Más de 3 procesos encontrados" in html
    assert "Página 1 de las primeras 2" in html
    assert not exact.context["paginator"].capped
    assert "3 procesos encontrados" in exact.content.decode()


def test_entity_and_unit_selects_escape_and_keep_the_choice(client, public_dataset):
    html = search(client, ente="SICT").content.decode()

    select = re.search(r'<select name="ente"[^>]*>(.*?)</select>', html, re.S)
    assert select and 'id="id_ente"' in select.group(0)
    assert '<option value="">Todos</option>' in select.group(1)
    assert re.search(r'<option value="SICT" selected>[^<]+</option>', select.group(1))
    assert select.group(1).count(" selected") == 1
    assert '<select name="unidad" id="id_unidad"><option value="" selected>Todas</option>' in html


def test_an_entity_that_is_not_in_the_list_is_refused_in_spanish(client, public_dataset):
    response = search(client, ente="<script>")

    html = response.content.decode()
    assert "Elija una opción válida de la lista." in html
    assert "<script>" not in html.split("<main", 1)[-1]
    assert len(result_ocids(response)) == 5  # the invalid filter is ignored, not fatal
