"""A definition that would publish invalid OCDS is refused at save, with the reason beside it."""

import pytest

from tests.workflows.admin_post import CREATE_URL, definition_post, field_block, group_block, shown
from tests.workflows.factories import make_editor, make_entity
from workflows.forms.checks import check_spec
from workflows.forms.defaults import field, group
from workflows.models import FormDefinition, FormVersion

pytestmark = pytest.mark.django_db

AWARD_OK = [
    field_block(
        key="fecha", label="Fecha", field_type="datetime", ocds_path="awards/0/date", required=True
    ),
    field_block(
        key="monto", label="Monto", field_type="money", ocds_path="awards/0/value", required=True
    ),
    group_block(
        key="proveedores",
        label="Proveedores",
        ocds_path="awards/0/suppliers",
        min_rows=1,
        party_role="supplier",
        fields=[
            field_block(key="nombre", label="Nombre", ocds_path="name", required=True),
            field_block(key="rfc", label="RFC", field_type="rfc", ocds_path="identifier/id"),
        ],
    ),
]


def post_award_form(client, fields):
    entity = make_entity("IMSS")
    client.force_login(make_editor(entity))
    data = definition_post(
        title="Fallo IMSS", stage="award", procedure_type="", entity=entity, fields=fields
    )
    return client.post(CREATE_URL, data)


def assert_refused(response, message):
    html = response.content.decode()
    assert response.status_code == 200  # the form comes back, nothing saved
    assert "El formulario no se guardó" in html
    assert shown(message, html)
    assert not FormDefinition.objects.filter(title="Fallo IMSS").exists()


def test_path_collision_is_refused(client):
    fields = [
        *AWARD_OK,
        field_block(
            key="importe", label="Importe", field_type="decimal", ocds_path="awards/0/value/amount"
        ),
    ]

    response = post_award_form(client, fields)

    assert_refused(response, "choca con «awards/0/value»")


def test_codelist_that_does_not_match_the_path_is_refused(client):
    fields = [
        *AWARD_OK,
        field_block(
            key="estado",
            label="Estado",
            field_type="choice",
            ocds_path="awards/0/items/0/unit/value/currency",
            choices="codelist:documentType",
        ),
    ]

    response = post_award_form(client, fields)

    assert_refused(response, "espera la codelist currency")


def test_unknown_codelist_is_refused():
    spec = {
        "fields": [
            field(
                "categoria",
                "Categoría",
                "choice",
                "tender/mainProcurementCategory",
                choices="codelist:categoriasInventadas",
            )
        ]
    }

    issues = check_spec(spec, stage="tender", procedure_type="lp_nacional")

    assert [(i.index, i.field) for i in issues if "no existe" in i.message] == [(0, "choices")]
    assert "La codelist «categoriasInventadas» no existe en OCDS 1.1.5." in [
        i.message for i in issues
    ]


def test_unknown_codelist_cannot_even_be_chosen_in_the_admin(client):
    fields = [
        *AWARD_OK,
        field_block(
            key="x",
            label="X",
            field_type="choice",
            ocds_path="awards/0/title",
            choices="codelist:inventada",
        ),
    ]

    response = post_award_form(client, fields)

    assert shown(
        "codelist:inventada no es una de las opciones disponibles", response.content.decode()
    )
    assert not FormDefinition.objects.filter(title="Fallo IMSS").exists()


def test_type_mismatch_with_the_schema_is_refused(client):
    fields = [
        *AWARD_OK,
        field_block(
            key="fechaTexto", label="Título", field_type="integer", ocds_path="awards/0/title"
        ),
    ]

    response = post_award_form(client, fields)

    assert_refused(response, "que en el esquema es texto")


def test_required_ocds_fields_missing_for_the_stage_are_refused(client):
    response = post_award_form(client, [AWARD_OK[0], AWARD_OK[2]])

    assert_refused(response, "Falta un campo obligatorio que escriba «awards/0/value»")


def test_path_outside_ocds_needs_to_be_declared_custom(client):
    fields = [
        *AWARD_OK,
        field_block(
            key="folio", label="Folio", field_type="text", ocds_path="awards/0/folioInterno"
        ),
    ]

    response = post_award_form(client, fields)

    assert_refused(response, "no existe en OCDS 1.1.5 ni en las extensiones declaradas")


def test_group_child_error_points_at_the_row_field():
    spec = {
        "fields": [
            group(
                "proveedores",
                "Proveedores",
                "awards/0/suppliers",
                [
                    field("nombre", "Nombre", "text", "name", required=True),
                    field("rfc", "RFC", "rfc", "identifier/id"),
                    field("otro", "Otro", "boolean", "name"),
                ],
                min_rows=1,
            )
        ]
    }

    issues = check_spec(spec, stage="award", procedure_type="")

    row_issues = [(i.index, i.child, i.field) for i in issues if i.child is not None]
    assert (0, 2, "field_type") in row_issues
    assert (0, 2, "ocds_path") in row_issues


def test_a_valid_definition_is_saved_and_published_as_version_one(client):
    response = post_award_form(
        client,
        AWARD_OK
        + [
            field_block(
                key="organizaciones",
                label="Proveedores",
                field_type="text",
                ocds_path="awards/0/description",
            ),
        ],
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    definition = FormDefinition.objects.get(title="Fallo IMSS")
    assert definition.live
    assert FormVersion.objects.filter(definition=definition).count() == 1
