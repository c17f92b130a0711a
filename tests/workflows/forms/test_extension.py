"""A custom form field is declared in the project's own extension, which every package lists."""

import json

import pytest
from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal

from ocds_pages.extension import release_schema
from ocds_pages.models import ExtensionField
from ocds_pages.packages import iter_release_package
from ocds_pages.publication import next_ocid, publish_release
from ocds_pages.schema import project_extension_url
from tests.workflows.factories import (
    BUYER,
    edit_spec,
    entity_copy,
    make_editor,
    make_entity,
    new_field,
    publish,
)
from workflows.forms.form_services import extension_source
from workflows.forms.forms_engine import CaptureContext, assemble_release, to_ocds
from workflows.forms.previews import sample_form_and_fragment

pytestmark = pytest.mark.django_db


def add_custom_field(spec):
    spec["fields"].append(
        new_field(
            "montoMipymes",
            "Monto reservado a MiPyMEs",
            "money",
            "tender/montoReservadoMipymes",
            custom=True,
            help_text="Parte del monto reservada a micro, pequeñas y medianas empresas.",
        )
    )


@pytest.fixture
def entity_with_custom_field():
    entity = make_entity("IMSS", rfc="IMS421231I45")
    editor = make_editor(entity)
    definition = entity_copy(entity, "tender", "lp_nacional", user=editor)
    edit_spec(definition, add_custom_field)
    version = publish(definition, user=editor)
    return entity, version


def test_custom_field_is_served_in_the_project_extension(client, entity_with_custom_field):
    served = client.get("/ocds/extension/release-schema.json").json()

    declared = served["definitions"]["Tender"]["properties"]["montoReservadoMipymes"]
    assert declared["$ref"] == "#/definitions/Value"
    assert declared["title"] == "Monto reservado a MiPyMEs"


def test_packages_declare_the_project_extension(entity_with_custom_field):
    package = json.loads(b"".join(iter_release_package(releases=[], uri="https://x.example/p")))

    assert project_extension_url() in package["extensions"]
    assert project_extension_url() == f"{settings.SITE_URL}/ocds/extension/extension.json"


def test_a_release_with_the_custom_field_is_published(entity_with_custom_field):
    entity, version = entity_with_custom_field
    ocid = next_ocid(entity=entity)
    form, _fragment = sample_form_and_fragment(version.spec, "tender", "lp_nacional")
    fragment = to_ocds(version, form.values(), context=CaptureContext(ocid=ocid))
    release = assemble_release(
        fragment=fragment, ocid=ocid, release_id=f"{ocid}-0001", stage="tender", buyer=BUYER
    )

    stored = publish_release(release=release, entity=entity)
    package = json.loads(b"".join(iter_release_package(releases=[stored.data], uri="https://x/p")))

    assert package["releases"][0]["tender"]["montoReservadoMipymes"]["currency"] == "MXN"
    assert project_extension_url() in package["extensions"]


def test_retired_custom_field_leaves_the_extension(client, entity_with_custom_field):
    entity, version = entity_with_custom_field
    definition = version.definition
    edit_spec(
        definition,
        lambda spec: spec["fields"].pop(
            next(i for i, f in enumerate(spec["fields"]) if f["key"] == "montoMipymes")
        ),
    )
    publish(definition)

    served = client.get("/ocds/extension/release-schema.json").json()

    assert "montoReservadoMipymes" not in served["definitions"]["Tender"]["properties"]
    assert "statusDetails" in served["definitions"]["Tender"]["properties"]  # shipped default


def test_publishing_a_version_writes_its_custom_fields_as_rows(entity_with_custom_field):
    _entity, version = entity_with_custom_field

    row = ExtensionField.objects.get(
        source=extension_source(version.definition_id), name="montoReservadoMipymes"
    )

    assert row.definition == "Tender"
    assert row.schema["$ref"] == "#/definitions/Value"
    assert "montoReservadoMipymes" in release_schema().data["definitions"]["Tender"]["properties"]


def test_a_retired_custom_field_loses_its_row(entity_with_custom_field):
    _entity, version = entity_with_custom_field
    definition = version.definition
    edit_spec(
        definition,
        lambda spec: spec["fields"].pop(
            next(i for i, f in enumerate(spec["fields"]) if f["key"] == "montoMipymes")
        ),
    )
    publish(definition)

    assert not ExtensionField.objects.filter(name="montoReservadoMipymes").exists()
    assert (
        "montoReservadoMipymes" not in release_schema().data["definitions"]["Tender"]["properties"]
    )


def test_migrate_writes_the_rows_of_versions_published_before_they_existed(
    entity_with_custom_field,
):
    # An installation upgraded from the in-memory registry has published versions and no rows.
    _entity, version = entity_with_custom_field
    ExtensionField.objects.all().delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    tender = release_schema().data["definitions"]["Tender"]["properties"]
    assert tender["montoReservadoMipymes"]["$ref"] == "#/definitions/Value"
    # The procedures' own fields (workflows.forms.extension_fields).
    assert "invitedSuppliers" in tender
    assert ExtensionField.objects.filter(source=extension_source(version.definition_id)).exists()
