"""Role groups: each app declares its roles' permissions, and the groups carry exactly their union.

The sets below are the ones cms/roles.py listed by hand before the apps declared their own; they
must not change with the move (docs/arquitectura.md, «Permisos de los roles»).
"""

import pytest
from django.contrib.auth.models import Group

from cms.groups import sync_role_groups
from cms.roles import ROLE_GROUP_NAMES, Role, role_permissions

ADMIN = "wagtailadmin.access_admin"
MONITORING = "indicadores.view_monitoredcontract"
MODERATE = "indicadores.moderate_citizenreport"
# Market research (issue 18): every staff role reads it, the capturista runs the studies.
MARKET = "mercado.view_marketstudy"
MARKET_WORK = {"mercado.add_marketstudy", "mercado.change_marketstudy"}
EXPECTED = {
    # Contract monitoring (issue 19): every staff role of an entity reads its portfolio.
    Role.CAPTURISTA: {ADMIN, MONITORING, MARKET, *MARKET_WORK},
    # Alerts (indicadores, issue 15): the OIC works them, approvers read and answer them.
    Role.APROBADOR: {
        ADMIN,
        MONITORING,
        MARKET,
        "indicadores.view_alert",
        "indicadores.answer_alert",
    },
    Role.OIC: {
        ADMIN,
        MONITORING,
        MARKET,
        MODERATE,
        "indicadores.view_alert",
        "indicadores.work_alert",
        "indicadores.view_alertevent",
        "indicadores.view_riskscore",  # the risk dashboard (issue 17)
    },
    Role.ADMIN_ENTE: {
        ADMIN,
        MONITORING,
        MARKET,
        MODERATE,  # citizen reports on contracts (issue 19)
        "cms.view_purchasingunit",
        "cms.add_purchasingunit",
        "cms.change_purchasingunit",
        "cms.view_membership",
        "cms.add_membership",
        "cms.change_membership",
        "cms.delete_membership",
        "cms.view_oauthclient",
        "cms.add_oauthclient",
        "cms.change_oauthclient",
        "cms.delete_oauthclient",
    },
    Role.EDITOR: {
        ADMIN,
        "workflows.view_formdefinition",
        "workflows.add_formdefinition",
        "workflows.change_formdefinition",
        "workflows.publish_formdefinition",
        "workflows.view_formversion",
        *(
            f"workflows.{action}_{model}"
            for model in ("cucopitem", "unitofmeasure", "legaljustification", "documenttype")
            for action in ("view", "add", "change")
        ),
    },
}


def test_declared_permissions_are_the_same_sets_as_before():
    assert role_permissions() == EXPECTED


def test_cms_names_only_its_own_and_the_admin_permissions():
    from django.apps import apps

    declared = apps.get_app_config("cms").role_permissions
    labels = {name.split(".")[0] for names in declared.values() for name in names}
    assert labels == {"cms", "wagtailadmin"}


@pytest.mark.django_db
def test_each_group_carries_exactly_its_roles_permissions():
    sync_role_groups()
    for role, group_name in ROLE_GROUP_NAMES.items():
        group = Group.objects.get(name=group_name)
        stored = {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert stored == EXPECTED[role], role
