"""The admin home: a panel per role, so each person lands on what waits for them.

Wagtail's ``construct_homepage_panels`` hook is the registry every app adds its panels to (this
module's for the entity administrator and the site's pages; ``workflows.processes.dashboard`` for
capture, review, the OIC's overview and the stage forms), so cms never imports a higher app
(docs/arquitectura.md §4). Panels compute their context when built, so the home page's queries can
be counted and kept few.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from cms.models import Membership, PurchasingUnit
from cms.roles import ENTITY_ADMIN_ROLES, Role
from cms.tenancy import entity_ids_for

RECENT = 5  # rows of each list on the home page; the full lists are one click away


def holds(user, roles) -> bool:
    """Whether the person holds any of ``roles`` somewhere (the national administrator does)."""
    allowed = entity_ids_for(user, set(roles))
    return allowed is None or bool(allowed)


class HomePanel(Component):
    """A dashboard panel with its context already computed."""

    def __init__(self, name, template_name, order, context):
        self.name = name
        self.template_name = template_name
        self.order = order
        self.context = context

    def get_context_data(self, parent_context):
        return self.context


def _in_entities(queryset, entities, field="entity"):
    return queryset if entities is None else queryset.filter(**{f"{field}__in": entities})


def entity_admin_home(user) -> dict:
    """People, units and roles of the entities the person administers."""
    entities = entity_ids_for(user, ENTITY_ADMIN_ROLES)
    people = _in_entities(get_user_model().objects.all(), entities, "memberships__entity")
    people = people.distinct().aggregate(
        active=Count("pk", filter=Q(is_active=True), distinct=True),
        inactive=Count("pk", filter=Q(is_active=False), distinct=True),
    )
    units = _in_entities(PurchasingUnit.objects.all(), entities).aggregate(
        active=Count("pk", filter=Q(active=True)), total=Count("pk")
    )
    roles = dict(
        _in_entities(Membership.objects.all(), entities)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return {
        "people": people,
        "units": units,
        "roles": [(label, roles.get(value, 0)) for value, label in Role.choices],
    }


def pages_home() -> dict:
    """The site's content pages, most recently edited first."""
    pages = Page.objects.filter(depth__gt=1)
    recent = pages.order_by("-latest_revision_created_at", "-pk").specific(defer=True)
    return {"total": pages.count(), "pages": list(recent[:RECENT])}


def platform_panels(request) -> list[HomePanel]:
    user = request.user
    panels = []
    if holds(user, ENTITY_ADMIN_ROLES):
        panels.append(
            HomePanel("mi-ente", "cms/home/entity_admin.html", 50, entity_admin_home(user))
        )
    if holds(user, {Role.EDITOR}):
        panels.append(HomePanel("paginas-sitio", "cms/home/pages.html", 60, pages_home()))
    return panels
