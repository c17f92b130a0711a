"""Keep Django/Wagtail groups in step with the roles and the permissions the apps declare for them.

Groups give permissions (what kind of thing a person may do); memberships say where. A user is in
a role's group exactly while they hold that role in at least one entity.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from cms.models import Membership
from cms.roles import ROLE_GROUP_NAMES, Role, role_permissions

# Editors work on the whole public site and its media: page and collection permissions at the root.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _permissions(names):
    perms = []
    for name in sorted(names):
        app_label, codename = name.split(".")
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:
            perms.append(perm)
    return perms


@transaction.atomic
def sync_role_groups():
    """Create each role's group and set its permissions exactly as declared (idempotent)."""
    declared = role_permissions()
    for role, group_name in ROLE_GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.set(_permissions(declared[role]))
    _grant_editor_tree_permissions(Group.objects.get(name=ROLE_GROUP_NAMES[Role.EDITOR]))


def _grant_editor_tree_permissions(group):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if root_page is not None:
        for perm in _permissions(f"wagtailcore.{c}" for c in EDITOR_PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)
    if root_collection is not None:
        names = (f"{app}.{codename}" for app, codename in EDITOR_COLLECTION_PERMISSIONS)
        for perm in _permissions(names):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=perm
            )


def sync_user_groups(user):
    """Put the user in the groups of the roles they hold, and out of the other role groups."""
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    role_group_names = set(ROLE_GROUP_NAMES.values())
    wanted = {ROLE_GROUP_NAMES[role] for role in roles}
    current = set(user.groups.filter(name__in=role_group_names).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
