from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from cms.roles import Role


def _after_migrate(sender, **kwargs):
    from django.apps import apps

    # post_migrate is sent once per app that has models; every app's permissions exist only
    # after the last one.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.name != with_models[-1].name:
        return
    from cms.groups import sync_role_groups

    sync_role_groups()


def _membership_changed(sender, instance, **kwargs):
    from cms.groups import sync_user_groups
    from cms.tenancy import forget_memberships

    sync_user_groups(instance.user)
    forget_memberships(instance.user)


class CmsConfig(AppConfig):
    """The platform shell: entities, purchasing units, users, roles and site content."""

    name = "cms"
    verbose_name = _("Plataforma")

    # The permissions each role needs from the platform (cms.roles.role_permissions): every role
    # enters the Wagtail admin; entity administrators manage their units, people and API clients.
    role_permissions = {
        **{role: ["wagtailadmin.access_admin"] for role in Role if role != Role.ADMIN_ENTE},
        Role.ADMIN_ENTE: [
            "wagtailadmin.access_admin",
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
        ],
    }

    def ready(self):
        from cms import people_import  # noqa: F401  (its job kind registers with cms.jobs)
        from cms.models import Membership
        from cms.security_headers import nonce_wagtail_choosers

        nonce_wagtail_choosers()

        post_migrate.connect(_after_migrate, dispatch_uid="cms_role_groups")
        post_save.connect(_membership_changed, sender=Membership, dispatch_uid="membership_saved")
        post_delete.connect(
            _membership_changed, sender=Membership, dispatch_uid="membership_deleted"
        )
