"""Every admin URL Wagtail generates for our models × every role × two entities (issue 20, item 3).

The hand-written matrix (test_tenancy_matrix.py) covers the screens we wrote; Wagtail also mounts
history, usage, chooser, inspect, delete, copy and revision views for each model admin and snippet,
and those leaked other entities' names. Here the URL list comes from the resolver itself, so a view
Wagtail adds later is covered without editing this file: for a person of entity A, no URL about an
object of entity B may answer 200 or show B's marker, and no list or chooser may show it.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cms.models import Membership
from cms.roles import Role
from tests.cms.test_tenancy_matrix import build_world
from tests.factories import make_member
from tests.workflows.factories import entity_copy

pytestmark = pytest.mark.django_db

# The admin prefixes of our models: wagtail-modeladmin ("^app/model/…") and the snippet viewsets
# of workflows ("formularios/…", and their choosers "snippets/choose/workflows/…").
MODEL_PREFIXES = {
    "entity": "^cms/entity/",
    "purchasingunit": "^cms/purchasingunit/",
    "user": "^auth/user/",
    "membership": "^cms/membership/",
    "oauthclient": "^cms/oauthclient/",
    "formdefinition": "formularios/definiciones/",
    "formdefinition-chooser": "snippets/choose/workflows/formdefinition/",
    "formversion": "formularios/versiones/",
    "formversion-chooser": "snippets/choose/workflows/formversion/",
}
SKIP_ACTIONS = ("preview", "edit-sessions")  # POST-only previews; no object data on GET


def admin_patterns():
    """(route, pattern) of every admin URL, with the regex/path text as Wagtail wrote it."""
    found = []

    def walk(resolver, prefix):
        for item in resolver.url_patterns:
            text = prefix + str(item.pattern)
            if isinstance(item, URLResolver):
                walk(item, text)
            elif isinstance(item, URLPattern):
                found.append(text)

    walk(get_resolver(), "")
    return [text.removeprefix("admin/") for text in found if text.startswith("admin/")]


def concrete(route, pk, revision):
    """A GET-able URL for ``route`` with B's object (and revision) filled in."""
    url = route.replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<instance_pk>[^)]*\)|<(int|str):pk>|\(\?P<pk>[^)]*\)", str(pk), url)
    url = url.replace("<int:revision_id>", str(revision))
    url = re.sub(
        r"\(\?P<revision_id_a>[^)]*\)\\\.\\\.\\\.\(\?P<revision_id_b>[^)]*\)",
        "earliest...latest",
        url,
    )
    return "/admin/" + url


@pytest.fixture
def world():
    world = build_world()
    definitions = {key: entity_copy(entity) for key, entity in (("A", world.a), ("B", world.b))}
    world.rows["formdefinition"] = {k: d.pk for k, d in definitions.items()}
    world.rows["formversion"] = {k: d.latest_version().pk for k, d in definitions.items()}
    world.revisions = {k: d.latest_revision.pk for k, d in definitions.items()}
    return world


MARKERS_B = {
    "entity": "Ente de prueba ENTEB",
    "purchasingunit": "UCB000001",
    "user": "staffb",
    "membership": "staffb",
    "oauthclient": "cliente-B",
    "formdefinition": "(ENTEB)",
    "formversion": "(ENTEB)",
}


def cases(world):
    for name, prefix in MODEL_PREFIXES.items():
        model = name.removesuffix("-chooser")
        for route in admin_patterns():
            if not route.startswith(prefix) or any(skip in route for skip in SKIP_ACTIONS):
                continue
            instance = "pk" in route
            url = concrete(route, world.rows[model]["B"], world.revisions["B"])
            yield model, instance, url


def actor(role, world):
    if role == "superusuario":
        return None
    unit = world.a.units.first() if role in (Role.CAPTURISTA, Role.APROBADOR) else None
    return make_member(role, world.a, unit, f"actor-{role}")


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_no_generated_admin_url_shows_another_entity(client, world, role):
    client.force_login(actor(role, world))
    leaks = []
    checked = 0
    for model, instance, url in cases(world):
        # Lists and choosers are paginated (the shipped national forms fill the first page).
        for page in [""] if instance else ["", "?p=2", "?p=3"]:
            response = client.get(url + page)
            checked += 1
            body = response.content.decode(errors="replace")
            if instance and response.status_code == 200:
                leaks.append(f"{url}: 200 sobre un objeto del ente B")
            elif MARKERS_B[model] in body:
                leaks.append(f"{url}{page}: {response.status_code} y muestra «{MARKERS_B[model]}»")
    assert checked > 60, checked  # the resolver really gave us Wagtail's generated URLs
    assert not leaks, "\n".join(leaks)


def test_entity_admin_still_reads_the_history_of_own_rows(client, world):
    client.force_login(actor(Role.ADMIN_ENTE, world))
    unit_a = world.rows["purchasingunit"]["A"]
    assert client.get(f"/admin/cms/purchasingunit/history/{unit_a}/").status_code == 200
    own = Membership.objects.get(user_id=world.rows["user"]["A"]).pk
    assert client.get(f"/admin/cms/membership/history/{own}/").status_code == 200


def test_editor_chooses_only_own_and_national_definitions(client, world):
    client.force_login(actor(Role.EDITOR, world))
    base = "/admin/snippets/choose/workflows/formdefinition/results/"
    html = "".join(client.get(f"{base}?p={page}").content.decode() for page in (1, 2, 3))
    assert "(ENTEA)" in html
    assert "(ENTEB)" not in html
    other = world.rows["formdefinition"]["B"]
    chosen = f"/admin/snippets/choose/workflows/formdefinition/chosen/{other}/"
    assert client.get(chosen).status_code == 404
