"""Staff reach their contracting screens from the Wagtail admin menu."""

import pytest

from cms.roles import Role
from tests.factories import make_entity, make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CAPTURISTA, Role.APROBADOR, Role.OIC])
def test_work_roles_see_inbox_and_processes_in_menu(client, role):
    client.force_login(make_member(role, make_entity("MENU")))
    html = client.get("/admin/").content.decode()
    assert "/tramite/" in html
    assert "/tramite/procesos/" in html


def test_editor_does_not_see_contracting_menu(client):
    client.force_login(make_member(Role.EDITOR, make_entity("MENUED")))
    html = client.get("/admin/").content.decode()
    assert "/tramite/procesos/" not in html
