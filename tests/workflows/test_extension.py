"""A custom form field is declared in the project's own extension, which every package lists."""

import json

import pytest
from django.conf import settings

from ocds_pages.packages import iter_release_package
from ocds_pages.publication import next_ocid, publish_release
from ocds_pages.schema import project_extension_url
from workflows.forms_engine import CaptureContext, assemble_release, to_ocds
from workflows.previews import sample_form_and_fragment
from workflows.services import extension_fields_reset

from .factories import BUYER, edit_spec, entity_copy, make_editor, make_entity, new_field, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_declared_fields():
    yield
    extension_fields_reset()


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
