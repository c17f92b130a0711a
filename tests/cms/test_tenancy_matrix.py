"""The permission matrix: every role × two entities × every staff URL and API endpoint.

A person of entity A never reads or writes rows of entity B: instance URLs of B answer 404, list
pages never show B's rows. Later issues add their URLs to ``STAFF_CASES`` / ``API_CASES``.
Every URL Wagtail generates for our models (history, usage, chooser, revisions…) is covered by
test_admin_url_matrix.py, which takes the list from the URL resolver.
"""

from dataclasses import dataclass

import pytest

from cms.models import Entity, Membership, OAuthClient, PurchasingUnit
from cms.roles import Role
from tests.factories import make_client, make_entity, make_member, make_unit, make_user

pytestmark = pytest.mark.django_db

ANON, SUPER = "anónimo", "superusuario"
ACTORS = [ANON, SUPER, *[role.value for role in Role]]
DENIED = 302  # Wagtail's admin redirects a permission refusal to the dashboard with a message.


@dataclass
class World:
    a: Entity
    b: Entity
    rows: dict  # model name -> {"A": pk, "B": pk}


def build_world():
    a, b = make_entity("ENTEA"), make_entity("ENTEB")
    rows = {"entity": {"A": a.pk, "B": b.pk}}
    units = {"A": make_unit(a, "UCA000001"), "B": make_unit(b, "UCB000001")}
    rows["purchasingunit"] = {k: u.pk for k, u in units.items()}
    staff = {
        k: make_member(Role.CAPTURISTA, e, units[k], f"staff{k.lower()}")
        for k, e in (("A", a), ("B", b))
    }
    rows["user"] = {k: u.pk for k, u in staff.items()}
    rows["membership"] = {k: Membership.objects.get(user=u).pk for k, u in staff.items()}
    rows["oauthclient"] = {
        k: make_client(f"cliente-{k}", entity=e, pdn=False).pk for k, e in (("A", a), ("B", b))
    }
    return World(a, b, rows)


def actor_user(actor, world):
    if actor == ANON:
        return None
    if actor == SUPER:
        return make_user("nacional", is_superuser=True, is_staff=True)
    unit = world.a.units.first() if actor in (Role.CAPTURISTA, Role.APROBADOR) else None
    return make_member(actor, world.a, unit, f"actor-{actor}")


MODELS = {
    "entity": "/admin/cms/entity/",
    "purchasingunit": "/admin/cms/purchasingunit/",
    "user": "/admin/auth/user/",
    "membership": "/admin/cms/membership/",
    "oauthclient": "/admin/cms/oauthclient/",
}
# What the entity administrator of A may do with A's own rows (everything else: 404 for B).
ADMIN_OWN = {
    ("entity", "edit"): DENIED,
    ("entity", "delete"): DENIED,
    ("user", "delete"): DENIED,
}


def staff_cases():
    for model, base in MODELS.items():
        yield model, "list", None, base
        yield model, "create", None, f"{base}create/"
        for action in ("edit", "inspect", "delete"):
            for owner in ("A", "B"):
                yield model, action, owner, f"{base}{action}/{{pk}}/"


STAFF_CASES = list(staff_cases())


def expected_staff(actor, model, action, owner):
    if actor == ANON:
        return 302
    if actor == SUPER:
        # Entities and people are never deleted (their history stays attributable).
        return DENIED if action == "delete" and model in ("entity", "user") else 200
    if owner is not None:
        if actor != Role.ADMIN_ENTE or owner == "B":
            return 404
        return ADMIN_OWN.get((model, action), 200)
    if actor != Role.ADMIN_ENTE:
        return DENIED
    return DENIED if (model, action) == ("entity", "create") else 200


@pytest.mark.parametrize("actor", ACTORS)
def test_staff_admin_matrix(client, actor):
    world = build_world()
    user = actor_user(actor, world)
    if user:
        client.force_login(user)
    wrong = []
    for model, action, owner, pattern in STAFF_CASES:
        url = pattern.format(pk=world.rows[model][owner]) if owner else pattern
        got = client.get(url).status_code
        want = expected_staff(actor, model, action, owner)
        if got != want:
            wrong.append(f"{url} ({model} {action} {owner}): {got}, se esperaba {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("model", list(MODELS))
def test_entity_admin_lists_never_show_other_entity_rows(client, model):
    world = build_world()
    client.force_login(actor_user(Role.ADMIN_ENTE, world))
    html = client.get(MODELS[model]).content.decode()
    other_markers = {
        "entity": "ENTEB",
        "purchasingunit": "UCB000001",
        "user": "staffb",
        "membership": "staffb",
        "oauthclient": "cliente-B",
    }
    own_markers = {
        "entity": "ENTEA",
        "purchasingunit": "UCA000001",
        "user": "staffa",
        "membership": "staffa",
        "oauthclient": "cliente-A",
    }
    assert own_markers[model] in html
    assert other_markers[model] not in html


API_CASES = [
    ("/api/entes/ENTEA/unidades/", "A"),
    ("/api/entes/ENTEB/unidades/", "B"),
    ("/api/yo/", None),
    ("/api/entes/", "public"),
]


def expected_api(actor, owner):
    if owner == "public":
        return 200
    if actor == ANON:
        return 401
    if owner == "B" and actor != SUPER:
        return 404
    return 200


@pytest.mark.parametrize("actor", ACTORS)
def test_api_matrix(client, actor):
    world = build_world()
    user = actor_user(actor, world)
    if user:
        client.force_login(user)
    wrong = []
    for url, owner in API_CASES:
        got = client.get(url).status_code
        if got != expected_api(actor, owner):
            wrong.append(f"{url}: {got}, se esperaba {expected_api(actor, owner)}")
    assert not wrong, "\n".join(wrong)


def test_entity_admin_cannot_write_other_entity_rows(client):
    world = build_world()
    client.force_login(actor_user(Role.ADMIN_ENTE, world))
    unit_b = PurchasingUnit.objects.get(pk=world.rows["purchasingunit"]["B"])
    response = client.post(
        f"/admin/cms/purchasingunit/edit/{unit_b.pk}/",
        {"entity": world.b.pk, "key": unit_b.key, "name": "Tomada", "active": "on"},
    )
    assert response.status_code == 404
    unit_b.refresh_from_db()
    assert unit_b.name != "Tomada"


def test_entity_admin_cannot_create_rows_in_other_entity(client):
    world = build_world()
    client.force_login(actor_user(Role.ADMIN_ENTE, world))
    response = client.post(
        "/admin/cms/purchasingunit/create/",
        {"entity": world.b.pk, "key": "UCB999999", "name": "Intrusa", "active": "on"},
    )
    assert response.status_code == 200  # the form comes back with the error
    assert "Seleccione una opción válida" in response.content.decode()
    assert not PurchasingUnit.objects.filter(key="UCB999999").exists()
    staff_b = world.rows["user"]["B"]
    client.post(
        "/admin/cms/membership/create/", {"user": staff_b, "entity": world.a.pk, "role": Role.OIC}
    )
    assert not Membership.objects.filter(user_id=staff_b, entity=world.a).exists()


def test_entity_admin_registers_oauth_client_for_own_entity_and_sees_secret_once(client):
    world = build_world()
    client.force_login(actor_user(Role.ADMIN_ENTE, world))
    response = client.post(
        "/admin/cms/oauthclient/create/",
        {
            "name": "Tablero del OIC",
            "entity": world.a.pk,
            "client_type": "confidential",
            "authorization_grant_type": "client-credentials",
            "redirect_uris": "",
            "allowed_scopes": "read alertas",
        },
        follow=True,
    )
    assert response.status_code == 200
    created = OAuthClient.objects.get(name="Tablero del OIC")
    assert created.entity == world.a
    assert created.pdn_protocol is False
    assert "no se volverá a mostrar" in response.content.decode()


# --- Contracting processes (issue 6): the staff screens at /tramite/ -----------------------------


def build_process_world():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflows.processes import process_services

    world = build_world()
    rows = {"process": {}, "task": {}, "document": {}}
    for key, entity in (("A", world.a), ("B", world.b)):
        staff = Membership.objects.get(user_id=world.rows["user"][key]).user
        process = process_services.process_create(
            user=staff,
            unit=entity.units.first(),
            title=f"Proceso del ente {key}",
            main_procurement_category="goods",
            procedure_type="adjudicacion_directa",
            fiscal_year=2026,
        )
        document = process_services.document_upload(
            process=process,
            user=staff,
            stage="planning",
            uploaded=SimpleUploadedFile("oficio.pdf", b"%PDF-1.4 oficio", "application/pdf"),
            title="Oficio",
            document_type="procurementPlan",
        )
        run = process.stage_runs.get()
        rows["process"][key] = process.pk
        rows["task"][key] = process_services.active_task(run).pk
        rows["document"][key] = document.pk
        rows[f"ocid-{key}"] = process.ocid
    return world, rows


PROCESS_URLS = {
    "process": "/tramite/procesos/{pk}/",
    "task": "/tramite/tareas/{pk}/",
    "document": "/tramite/documentos/{pk}/",
}


# Unpublished documents are read only by the entity's process staff
# (workflows.processes.media.READER_ROLES).
DOCUMENT_READERS = {SUPER, Role.CAPTURISTA, Role.APROBADOR, Role.OIC}


def expected_process_screen(actor, owner, kind=None):
    if actor == ANON:
        return 302
    if kind == "document" and actor not in DOCUMENT_READERS:
        return 404
    if actor == SUPER or owner == "A":
        return 200
    return 404


@pytest.mark.parametrize("actor", ACTORS)
def test_process_screens_matrix(client, actor):
    world, rows = build_process_world()
    user = actor_user(actor, world)
    if user:
        client.force_login(user)
    wrong = []
    for kind, pattern in PROCESS_URLS.items():
        for owner in ("A", "B"):
            url = pattern.format(pk=rows[kind][owner])
            got = client.get(url).status_code
            want = expected_process_screen(actor, owner, kind)
            if got != want:
                wrong.append(f"{url}: {got}, se esperaba {want}")
    for url in ("/tramite/", "/tramite/procesos/"):
        response = client.get(url)
        if actor == ANON:
            if response.status_code != 302:
                wrong.append(f"{url}: {response.status_code}, se esperaba 302")
            continue
        html = response.content.decode()
        if actor != SUPER and rows["ocid-B"] in html:
            wrong.append(f"{url} muestra el proceso del ente B")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("action", ["iniciar", "sustituir", "documentos"])
def test_other_entity_cannot_write_processes(client, action):
    world, rows = build_process_world()
    client.force_login(actor_user(Role.CAPTURISTA, world))
    response = client.post(
        f"/tramite/procesos/{rows['process']['B']}/{action}/", {"stage": "tender"}
    )
    assert response.status_code == 404
    response = client.post(f"/tramite/tareas/{rows['task']['B']}/", {"accion": "enviar"})
    assert response.status_code == 404


# --- Market research (issue 18): /tramite/mercado/ and /api/mercado/ -----------------------------
# Every staff role of an entity reads the market research (mercado.view_marketstudy); only the
# capturista runs studies (add/change_marketstudy); the editor has neither (403). The APIs are
# public; a person's token gets the integrity screening only with the read permission.

MARKET_READERS = {SUPER, Role.CAPTURISTA, Role.APROBADOR, Role.OIC, Role.ADMIN_ENTE}
MARKET_WORKERS = {SUPER, Role.CAPTURISTA}


def build_market_world():
    from indicadores.market.models import MarketStudy

    world = build_world()
    studies = {}
    for key, entity in (("A", world.a), ("B", world.b)):
        staff = Membership.objects.get(user_id=world.rows["user"][key]).user
        studies[key] = MarketStudy.objects.create(
            entity=entity, created_by=staff, title=f"Estudio {key}", search={"texto": "papel"}
        ).pk
    return world, studies


def expected_market(actor, owner, *, work=False):
    if actor == ANON:
        return 302
    if actor not in (MARKET_WORKERS if work else MARKET_READERS):
        return 403
    if owner == "B" and actor != SUPER:
        return 404
    return 302 if work else 200


@pytest.mark.parametrize("actor", ACTORS)
def test_market_screens_matrix(client, actor):
    world, studies = build_market_world()
    user = actor_user(actor, world)
    if user:
        client.force_login(user)
    wrong = []

    def check(method, url, want, data=None):
        got = getattr(client, method)(url, data or {}).status_code
        if got != want:
            wrong.append(f"{method.upper()} {url}: {got}, se esperaba {want}")

    for url in (
        "/tramite/mercado/",
        "/tramite/mercado/?texto=papel",
        "/tramite/mercado/estudios/",
        "/tramite/mercado/proveedores/?q=papel",
    ):
        check("get", url, expected_market(actor, None))
    for owner, pk in studies.items():
        base = f"/tramite/mercado/estudios/{pk}/"
        check("get", base, expected_market(actor, owner))
        reason = {"kind": "supplier", "key": "x", "label": "X", "reason": "Prueba"}
        check("post", f"{base}excluir/", expected_market(actor, owner, work=True), reason)
        check("post", f"{base}editar/", expected_market(actor, owner, work=True), {"title": ""})
    created = {"texto": "papel", "title": "Nueva", "method": "median", "entity": world.a.pk}
    check(
        "post", "/tramite/mercado/estudios/nuevo/", expected_market(actor, "A", work=True), created
    )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("actor", [actor for actor in ACTORS if actor in MARKET_READERS])
def test_market_lists_never_show_other_entity_studies(client, actor):
    world, _studies = build_market_world()
    client.force_login(actor_user(actor, world))
    html = client.get("/tramite/mercado/estudios/").content.decode()
    assert "Estudio A" in html
    assert ("Estudio B" in html) is (actor == SUPER)


@pytest.mark.parametrize("actor", ACTORS)
def test_market_api_matrix(client, actor):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    cache.clear()  # the API throttles count per client
    world = build_world()
    user = actor_user(actor, world)
    headers = {}
    if user:
        application = make_client(
            f"app-{user.username}",
            grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
            scopes="read",
            pdn=False,
            redirect_uris="https://app.example.org/vuelta",
        )
        token = AccessToken.objects.create(
            user=user,
            application=application,
            token=f"token-{user.username}",
            scope="read",
            expires=timezone.now() + timedelta(hours=1),
        )
        headers = {"Authorization": f"Bearer {token.token}"}
    prices = client.get("/api/mercado/precios/", {"texto": "papel"}, headers=headers)
    assert prices.status_code == 200
    suppliers = client.get("/api/mercado/proveedores/", {"texto": "papel"}, headers=headers)
    assert suppliers.status_code == 200
    assert suppliers.json()["screeningIncluded"] is (actor in MARKET_READERS)
