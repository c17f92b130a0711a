"""Platform model rules enforced by the database on every backend."""

import pytest
from django.db import IntegrityError, transaction

from cms.models import Membership
from cms.roles import Role
from tests.factories import make_entity, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_entity_wide_role_cannot_be_granted_twice():
    entity, user = make_entity("DUP"), make_user()
    Membership.objects.create(user=user, entity=entity, role=Role.OIC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, entity=entity, role=Role.OIC)


def test_unit_role_cannot_be_granted_twice_but_other_units_can():
    entity, user = make_entity("DUPU"), make_user()
    first, second = make_unit(entity), make_unit(entity)
    Membership.objects.create(user=user, entity=entity, unit=first, role=Role.APROBADOR)
    Membership.objects.create(user=user, entity=entity, unit=second, role=Role.APROBADOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, entity=entity, unit=first, role=Role.APROBADOR)
