"""Demo data for a new installation: three pilot entities, one person per role, OAuth clients.

Development only. The passwords here are public on purpose (they are in README.md); production
refuses to load them (see cargar_demo).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from cms.models import Entity, Membership, OAuthClient, PurchasingUnit
from cms.roles import Role

DEMO_PASSWORD = "Demo-Compra-2026"
SUPERUSER = "admin"
PDN_USER = "pdn"
PDN_CLIENT_ID = "pdn-demo"
PDN_CLIENT_SECRET = "pdn-demo-secreto-2026"
MACHINE_CLIENT_ID = "consumidor-demo"
MACHINE_CLIENT_SECRET = "consumidor-demo-secreto-2026"

ENTITIES = [
    {
        "key": "IMSS",
        "acronym": "IMSS",
        "level": Entity.Level.FEDERAL,
        "state": "",
        "name": "Instituto Mexicano del Seguro Social",
        "rfc": "IMS421231I45",
        "units": [
            ("050GYR047", "Coordinación de Abastecimiento y Equipamiento"),
            ("050GYR019", "Delegación Estatal en Jalisco"),
        ],
    },
    {
        "key": "SICT",
        "acronym": "SICT",
        "level": Entity.Level.FEDERAL,
        "state": "",
        "name": "Secretaría de Infraestructura, Comunicaciones y Transportes",
        "rfc": "SCT8101017S6",
        "units": [("009000987", "Dirección General de Carreteras")],
    },
    {
        "key": "SEPJAL",
        "acronym": "SEJ",
        "level": Entity.Level.STATE,
        "state": "JAL",
        "name": "Secretaría de Educación del Estado de Jalisco",
        "rfc": "SEJ9205012P1",
        "units": [("814014999", "Dirección de Adquisiciones")],
    },
]


@dataclass
class DemoSummary:
    entities: int = 0
    units: int = 0
    users: int = 0
    memberships: int = 0
    clients: int = 0


def _user(username, *, first_name, last_name, email, superuser=False):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "is_superuser": superuser,
            "is_staff": superuser,
        },
    )
    # Re-setting the documented password keeps the README true on every run.
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user, created


def _entity(data, summary):
    entity, created = Entity.objects.update_or_create(
        key=data["key"],
        defaults={k: data[k] for k in ("name", "acronym", "level", "state", "rfc")},
    )
    summary.entities += created
    units = []
    for key, name in data["units"]:
        unit, created = PurchasingUnit.objects.update_or_create(
            key=key, defaults={"entity": entity, "name": name}
        )
        summary.units += created
        units.append(unit)
    return entity, units


def _people(entity, unit, summary):
    slug = entity.key.lower()
    for role in Role:
        user, created = _user(
            f"{role.value}.{slug}",
            first_name=str(role.label),
            last_name=entity.acronym,
            email=f"{role.value}.{slug}@demo.invalid",
        )
        summary.users += created
        needs_unit = role in (Role.CAPTURISTA, Role.APROBADOR)
        _membership, created = Membership.objects.get_or_create(
            user=user, entity=entity, unit=unit if needs_unit else None, role=role
        )
        summary.memberships += created


def _client(client_id, secret, *, name, user, grant, scopes, pdn):
    if OAuthClient.objects.filter(client_id=client_id).exists():
        return 0
    OAuthClient.objects.create(
        client_id=client_id,
        client_secret=secret,
        name=name,
        user=user,
        client_type=OAuthClient.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant,
        allowed_scopes=scopes,
        pdn_protocol=pdn,
    )
    return 1


@transaction.atomic
def load_demo():
    summary = DemoSummary()
    for data in ENTITIES:
        entity, units = _entity(data, summary)
        _people(entity, units[0], summary)
    admin, created = _user(
        SUPERUSER,
        first_name="Administración",
        last_name="Nacional",
        email="admin@demo.invalid",
        superuser=True,
    )
    summary.users += created
    pdn, created = _user(
        PDN_USER, first_name="Plataforma Digital", last_name="Nacional", email="pdn@demo.invalid"
    )
    summary.users += created
    summary.clients += _client(
        PDN_CLIENT_ID,
        PDN_CLIENT_SECRET,
        name="PDN (demostración)",
        user=pdn,
        grant=OAuthClient.GRANT_PASSWORD,
        scopes="read s6",
        pdn=True,
    )
    summary.clients += _client(
        MACHINE_CLIENT_ID,
        MACHINE_CLIENT_SECRET,
        name="Consumidor de datos (demostración)",
        user=admin,
        grant=OAuthClient.GRANT_CLIENT_CREDENTIALS,
        scopes="read alertas",
        pdn=False,
    )
    return summary
