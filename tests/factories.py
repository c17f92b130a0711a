"""Small make_* helpers for rows the tests need (real models, no mocks)."""

import itertools

from django.contrib.auth import get_user_model

from cms.models import Entity, Membership, OAuthClient, PurchasingUnit
from cms.roles import Role

PASSWORD = "Prueba-Segura-2026"
_serial = itertools.count(1)


def make_entity(key=None, **fields):
    n = next(_serial)
    key = key or f"ENTE{n}"
    defaults = {"name": f"Ente de prueba {key}", "acronym": key, "level": Entity.Level.FEDERAL}
    defaults.update(fields)
    return Entity.objects.create(key=key, **defaults)


def make_unit(entity, key=None, **fields):
    n = next(_serial)
    return PurchasingUnit.objects.create(
        entity=entity, key=key or f"UC{n:07d}", name=fields.pop("name", f"Unidad {n}"), **fields
    )


def make_user(username=None, *, password=PASSWORD, **fields):
    username = username or f"persona{next(_serial)}"
    user = get_user_model().objects.create_user(username=username, password=password, **fields)
    return user


def make_member(role, entity, unit=None, username=None):
    """A person holding ``role`` in ``entity`` (capturistas and aprobadores get the unit)."""
    user = make_user(username)
    if unit is None and role == Role.CAPTURISTA:
        unit = entity.units.first() or make_unit(entity)
    Membership.objects.create(user=user, entity=entity, unit=unit, role=role)
    return user


def make_client(
    client_id="cliente-prueba",
    secret="secreto-de-prueba-123",
    *,
    user=None,
    grant=OAuthClient.GRANT_PASSWORD,
    scopes="read s6",
    pdn=True,
    **fields,
):
    client = OAuthClient.objects.create(
        client_id=client_id,
        client_secret=secret,
        name=fields.pop("name", client_id),
        user=user,
        client_type=fields.pop("client_type", OAuthClient.CLIENT_CONFIDENTIAL),
        authorization_grant_type=grant,
        allowed_scopes=scopes,
        pdn_protocol=pdn,
        **fields,
    )
    return client
