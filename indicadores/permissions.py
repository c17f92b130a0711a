"""Who may see and act on integrity alerts.

The group gives the kind of action (``indicadores.work_alert`` for the OIC, ``answer_alert`` for
the purchasing unit's approvers, declared in ``IndicadoresConfig.role_permissions``); the
membership says where (cms.tenancy). An alert of another entity is never in the user's querysets,
so asking for it answers 404.
"""

from django.db.models import Q

from cms.roles import Role
from cms.tenancy import has_role, is_national_admin, memberships_of, scope_queryset
from indicadores.models import Alert

WORK = "indicadores.work_alert"
ANSWER = "indicadores.answer_alert"


def oic_alerts(user):
    """The alerts the user works as OIC: every alert of the entities where they are OIC."""
    if not user.has_perm(WORK):
        return Alert.objects.none()
    return scope_queryset(Alert.objects.all(), user, roles=[Role.OIC])


def may_work(user, alert) -> bool:
    return user.has_perm(WORK) and has_role(user, Role.OIC, entity_id=alert.entity_id)


def unit_requests(user):
    """Alerts with a response request addressed to a unit the user approves for.

    An approver without a unit (entity-wide) answers for every unit of the entity.
    """
    alerts = Alert.objects.filter(response_requested_at__isnull=False)
    if not user.has_perm(ANSWER):
        return alerts.none()
    if is_national_admin(user):
        return alerts
    approver = [m for m in memberships_of(user) if m["role"] == Role.APROBADOR]
    whole = {m["entity_id"] for m in approver if m["unit_id"] is None}
    units = {m["unit_id"] for m in approver if m["unit_id"]}
    return alerts.filter(Q(entity__in=whole) | Q(unit__in=units))


def may_answer(user, alert) -> bool:
    """The same rule as :func:`unit_requests`, for one alert."""
    return unit_requests(user).filter(pk=alert.pk).exists()
