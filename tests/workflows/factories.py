"""Helpers for the stage-form tests: editors, entity copies of the shipped forms, publication."""

import copy

from cms.models import Membership
from cms.roles import Role
from tests.factories import make_entity, make_member, make_unit
from workflows.forms.defaults import field
from workflows.forms.spec import stream_from_spec
from workflows.models import FormDefinition

BUYER = {
    "id": "MX-RFC-IMS421231I45",
    "name": "Instituto Mexicano del Seguro Social",
    "identifier": {"scheme": "MX-RFC", "id": "IMS421231I45"},
    "roles": ["buyer", "procuringEntity"],
}


def make_editor(entity, username=None):
    from cms.groups import sync_role_groups

    user = make_member(Role.EDITOR, entity, username=username)
    sync_role_groups()
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="Editores"))
    return user


def make_capturista(entity, username=None):
    unit = entity.units.first() or make_unit(entity)
    return make_member(Role.CAPTURISTA, entity, unit, username)


def national(stage, procedure_type="") -> FormDefinition:
    return FormDefinition.objects.get(stage=stage, procedure_type=procedure_type, entity=None)


def spec_of(definition: FormDefinition) -> dict:
    return definition.latest_version().spec


def entity_copy(
    entity, stage="tender", procedure_type="lp_nacional", *, user=None
) -> FormDefinition:
    """The entity's own definition, starting from the national one, published as version 1."""
    source = national(stage, procedure_type)
    definition = FormDefinition.objects.create(
        title=f"{source.title} ({entity.acronym})",
        stage=stage,
        procedure_type=procedure_type,
        entity=entity,
        fields=stream_from_spec(copy.deepcopy(spec_of(source))),
    )
    publish(definition, user=user)
    return definition


def publish(definition: FormDefinition, *, user=None):
    """Publish the way Wagtail's "Publicar" button does: a revision, then its publication."""
    definition.save_revision(user=user).publish(user=user)
    definition.refresh_from_db()
    return definition.latest_version()


def edit_spec(definition: FormDefinition, change) -> None:
    """Apply ``change(spec)`` to the definition's current fields (not yet published)."""
    spec = {"fields": copy.deepcopy(spec_of(definition)["fields"])}
    change(spec)
    definition.fields = stream_from_spec(spec)
    definition.save()


def new_field(*args, **kwargs):
    return field(*args, **kwargs)


__all__ = ["make_entity", "Membership"]
