"""Fields a higher layer adds to the project extension are rows, and the schema is built from them.

Nothing about the schema lives in a process: what one process writes, the next validation of any
process reads (docs/ocds.md, «Extensiones de formularios: filas, no memoria»).
"""

import pytest

from ocds_pages.extension import (
    bundled_release_schema,
    extension_field_sources,
    extension_fields_register,
    release_schema,
)
from ocds_pages.models import ExtensionField
from ocds_pages.validation import validate_release
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid

pytestmark = pytest.mark.django_db

FOLIO = {
    "title": "Folio de suficiencia presupuestal",
    "description": "Número del oficio de suficiencia presupuestal de la contratación.",
    "type": ["integer", "null"],
}


def tender_with_folio(entity, value) -> dict:
    return make_tender_release(
        ocid=own_ocid(entity), entity=entity, tender={"folioSuficiencia": value}
    )


def paths(issues) -> list[str]:
    return [issue.path for issue in issues]


def test_a_declared_field_is_validated_at_once():
    entity = make_entity()
    text = tender_with_folio(entity, "doce")
    assert validate_release(text) == []  # OCDS lets unknown properties through

    extension_fields_register(source="pruebas", fields={"Tender": {"folioSuficiencia": FOLIO}})

    assert paths(validate_release(text)) == ["tender/folioSuficiencia"]
    assert validate_release(tender_with_folio(entity, 12)) == []


def test_rows_another_process_writes_are_read_by_the_next_validation():
    # Plain queries, as another process's committed transaction would leave the table: nothing in
    # this process is told about them.
    entity = make_entity()
    text = tender_with_folio(entity, "doce")
    row = ExtensionField.objects.create(
        source="otro", definition="Tender", name="folioSuficiencia", schema=FOLIO
    )

    assert paths(validate_release(text)) == ["tender/folioSuficiencia"]
    row.delete()
    assert validate_release(text) == []


def test_validation_uses_the_schema_it_is_given():
    entity = make_entity()
    text = tender_with_folio(entity, "doce")
    extension_fields_register(source="pruebas", fields={"Tender": {"folioSuficiencia": FOLIO}})

    assert validate_release(text, schema=bundled_release_schema()) == []
    assert paths(validate_release(text, schema=release_schema())) == ["tender/folioSuficiencia"]


def test_the_schema_is_built_once_for_each_state_of_the_rows():
    before = release_schema()
    assert release_schema() is before

    extension_fields_register(source="pruebas", fields={"Tender": {"folioSuficiencia": FOLIO}})
    after = release_schema()

    assert after != before
    assert release_schema() is after
    assert after.data["definitions"]["Tender"]["properties"]["folioSuficiencia"] == FOLIO
    assert "folioSuficiencia" not in before.data["definitions"]["Tender"]["properties"]
    assert (
        "folioSuficiencia"
        not in bundled_release_schema().data["definitions"]["Tender"]["properties"]
    )


def test_a_source_replaces_only_its_own_rows():
    other = {"title": "Clave de cartera", "description": "SHCP.", "type": ["string", "null"]}
    fields = {"Tender": {"folioSuficiencia": FOLIO, "claveCartera": other}}
    assert extension_fields_register(source="a", fields=fields) is True
    assert extension_fields_register(source="b", fields={"Award": {"claveCartera": other}})

    assert extension_fields_register(source="a", fields=fields) is False  # nothing to change
    assert extension_fields_register(source="a", fields={"Tender": {"claveCartera": other}})

    rows = ExtensionField.objects.filter(source__in=["a", "b"]).order_by("source")
    assert [(row.source, row.definition, row.name) for row in rows] == [
        ("a", "Tender", "claveCartera"),
        ("b", "Award", "claveCartera"),
    ]
    extension_fields_register(source="a", fields={})
    assert "a" not in extension_field_sources()
    assert "b" in extension_field_sources()


def test_a_changed_field_is_written_again_and_wins():
    extension_fields_register(source="a", fields={"Tender": {"folioSuficiencia": FOLIO}})
    as_text = {**FOLIO, "type": ["string", "null"]}

    assert extension_fields_register(source="a", fields={"Tender": {"folioSuficiencia": as_text}})

    tender = release_schema().data["definitions"]["Tender"]["properties"]
    assert tender["folioSuficiencia"]["type"] == ["string", "null"]
    assert ExtensionField.objects.filter(source="a").count() == 1


def test_rows_never_redefine_ocds_or_invent_definitions():
    title = {"title": "Título", "description": "Otro.", "type": "integer"}

    with pytest.raises(ValueError, match="title"):
        extension_fields_register(source="a", fields={"Tender": {"title": title}})
    with pytest.raises(ValueError, match="Licitacion"):
        extension_fields_register(source="a", fields={"Licitacion": {"folio": FOLIO}})
    assert "a" not in extension_field_sources()
