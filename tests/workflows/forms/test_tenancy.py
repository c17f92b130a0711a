"""The tenancy matrix of the stage-form screens: every role × own entity / another entity.

Drafts belong to an entity: another entity's people get 404 (never a hint that it exists), also
at the retired /captura/borradores/ addresses, which redirect the entity's own people. Forms
of an entity are edited by that entity's editors; national forms only by the national admin.
"""

import pytest

from cms.roles import Role
from tests.cms.test_tenancy_matrix import ACTORS, ANON, SUPER
from tests.factories import make_member, make_unit, make_user
from tests.workflows.factories import entity_copy, make_editor, make_entity
from workflows.forms.form_services import stage_draft_create
from workflows.models import FormDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = make_entity("ENTEA"), make_entity("ENTEB")
    drafts = {}
    for key, entity in (("A", a), ("B", b)):
        owner = make_member(Role.CAPTURISTA, entity, make_unit(entity), f"captura{key}")
        drafts[key] = stage_draft_create(
            user=owner, entity=entity, stage="planning", procedure_type="lp_nacional"
        )
    forms = {"A": entity_copy(a), "B": entity_copy(b)}
    return {"a": a, "drafts": drafts, "forms": forms}


def actor(name, world):
    if name == ANON:
        return None
    if name == SUPER:
        return make_user("nacional", is_superuser=True, is_staff=True)
    if name == Role.EDITOR:
        return make_editor(world["a"], "editor-a")
    unit = world["a"].units.first() if name in (Role.CAPTURISTA, Role.APROBADOR) else None
    return make_member(name, world["a"], unit, f"actor-{name}")


def expected_draft(name, owner, method):
    if name == ANON:
        return 302  # to the login page
    if owner == "B" and name != SUPER:
        return 404
    return 302  # the retired screen sends its own people to the /tramite/ page of the draft


def expected_form_edit(name, owner):
    if name == ANON:
        return 302
    if name == SUPER:
        return 200
    if name != Role.EDITOR:
        return 302  # Wagtail: no permission, back to the dashboard
    return 200 if owner == "A" else 404


@pytest.mark.parametrize("name", ACTORS)
def test_draft_matrix(client, world, name):
    user = actor(name, world)
    if user:
        client.force_login(user)
    wrong = []
    for owner, draft in world["drafts"].items():
        for method in ("get", "post"):
            path = f"/captura/borradores/{draft.pk}/"
            got = getattr(client, method)(path, {"justificacion": ""}).status_code
            if got != expected_draft(name, owner, method):
                want = expected_draft(name, owner, method)
                wrong.append(f"{method} {path} ({owner}): {got}, se esperaba {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", ACTORS)
def test_form_definition_matrix(client, world, name):
    user = actor(name, world)
    if user:
        client.force_login(user)
    wrong = []
    for owner, definition in world["forms"].items():
        path = f"/admin/formularios/definiciones/edit/{definition.pk}/"
        got = client.get(path).status_code
        if got != expected_form_edit(name, owner):
            wrong.append(f"{path} ({owner}): {got}, se esperaba {expected_form_edit(name, owner)}")
    assert not wrong, "\n".join(wrong)


def test_old_draft_list_leads_to_the_inbox(client, world):
    client.force_login(actor(Role.OIC, world))

    response = client.get("/captura/borradores/", follow=True)

    assert response.redirect_chain == [("/tramite/", 301)]
    assert response.status_code == 200


def test_editor_reads_but_cannot_edit_national_forms(client, world):
    client.force_login(actor(Role.EDITOR, world))
    national = FormDefinition.objects.get(stage="award", procedure_type="", entity=None)

    listing = client.get("/admin/formularios/definiciones/").content.decode()
    edit = client.get(f"/admin/formularios/definiciones/edit/{national.pk}/")
    copy = client.get(f"/admin/formularios/definiciones/copy/{national.pk}/")

    assert national.title in listing
    assert world["forms"]["B"].title not in listing
    assert edit.status_code == 302
    assert copy.status_code == 200


def test_editor_cannot_create_a_form_for_another_entity(client, world):
    from tests.workflows.admin_post import CREATE_URL, definition_post, field_block

    client.force_login(actor(Role.EDITOR, world))
    other = world["forms"]["B"].entity
    data = definition_post(
        title="Intrusa",
        stage="implementation",
        procedure_type="",
        entity=other,
        fields=[field_block(key="x", label="X", ocds_path="contracts/0/description")],
    )

    client.post(CREATE_URL, data)

    assert not FormDefinition.objects.filter(title="Intrusa").exists()
