"""The one scoping mechanism: which entities' rows a user may read or write.

Every staff view, admin view and API of the project narrows its querysets here, keyed on the
user's memberships. A row of another entity is simply not in the queryset, so asking for it by id
gives 404, never a hint that it exists. The national administrator (superuser) sees everything.
"""

from django.http import Http404

from cms.models import Membership

_CACHE_ATTR = "_tenancy_memberships"


def memberships_of(user):
    """The user's memberships, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values("entity_id", "unit_id", "role"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user):
    """Drop the cached memberships (after they change within one request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_national_admin(user):
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def entity_ids_for(user, roles=None):
    """Ids of the entities where the user holds one of ``roles`` (any role when None).

    Returns None for the national administrator, meaning "no restriction".
    """
    if is_national_admin(user):
        return None
    return {m["entity_id"] for m in memberships_of(user) if roles is None or m["role"] in roles}


def unit_ids_for(user, roles=None):
    """Ids of the units where the user holds one of ``roles``; None means every unit."""
    if is_national_admin(user):
        return None
    return {
        m["unit_id"]
        for m in memberships_of(user)
        if m["unit_id"] and (roles is None or m["role"] in roles)
    }


def has_role(user, role, *, entity_id=None, unit_id=None):
    """Whether the user holds ``role`` in the entity (and unit, when given).

    An entity-wide membership (no unit) covers every unit of its entity.
    """
    if is_national_admin(user):
        return True
    for m in memberships_of(user):
        if m["role"] != role or (entity_id is not None and m["entity_id"] != entity_id):
            continue
        if unit_id is None or m["unit_id"] in (None, unit_id):
            return True
    return False


def scope_queryset(queryset, user, *, field="entity", roles=None):
    """Narrow ``queryset`` to rows whose ``field`` (an entity FK path) the user may see."""
    allowed = entity_ids_for(user, roles)
    if allowed is None:
        return queryset
    if not allowed:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": allowed})


def get_scoped_or_404(queryset, user, *, field="entity", roles=None, **lookup):
    """One row of ``queryset`` inside the user's scope, or 404.

    The answer is the same whether the row exists in another entity or not at all.
    """
    try:
        return scope_queryset(queryset, user, field=field, roles=roles).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


class EntityScopedMixin:
    """For class-based views and DRF viewsets: ``get_queryset`` passes through the scope."""

    scope_field = "entity"
    scope_roles = None

    def get_queryset(self):
        return scope_queryset(
            super().get_queryset(),
            self.request.user,
            field=self.scope_field,
            roles=self.scope_roles,
        )
