"""The admin home of the people who capture, approve, audit and configure processes.

Staff land on Wagtail's dashboard after logging in (LOGIN_REDIRECT_URL); these panels put what
waits for each role there, one click from each task. Wagtail's ``construct_homepage_panels`` hook is
the registry: ``workflows.wagtail_hooks`` adds these panels, ``cms.wagtail_hooks`` those of the
entity administrator and of the pages, so cms never imports this app (docs/arquitectura.md §4).
The open tasks are read once per request and shared by the capture and review panels.
"""

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cms.dashboard import HomePanel, holds
from cms.roles import Role
from cms.tenancy import entity_ids_for, is_national_admin, scope_queryset
from workflows.forms.form_models import FormDefinition
from workflows.processes import selectors
from workflows.processes.process_models import ContractingProcess

RECENT = 5  # rows of each list on the home page; the full lists are one click away


def _age_days(moment, now) -> int:
    return (now - moment).days


def capture_home(user, tasks, now) -> dict:
    """My tasks to capture (returned ones with their reason), my open processes, deadlines."""
    capture = [task for task in tasks if task.flow_task.name == "capture"]
    for task in capture:
        task.age_days = _age_days(task.created, now)
    mine = ContractingProcess.objects.filter(created_by=user, closed=False)
    return {
        "tasks": capture,
        "returned": sum(1 for task in capture if task.run.return_reason),
        "processes": list(mine.select_related("unit").order_by("-created_at", "-pk")[:RECENT]),
        "process_total": mine.count(),
        "notices": selectors.deadline_notices(user=user, limit=RECENT),
    }


def review_home(tasks, now) -> dict:
    """Stages waiting for my review, oldest first, with how long they have waited."""
    reviews = [task for task in tasks if task.flow_task.name != "capture"]
    for task in reviews:
        task.age_days = _age_days(task.run.submitted_at or task.created, now)
    return {"tasks": reviews, "oldest": max((t.age_days for t in reviews), default=0)}


def entity_overview(user) -> dict:
    """Counts of the entity's processes (the OIC's view of everything it may audit)."""
    processes = scope_queryset(ContractingProcess.objects.all(), user)
    counts = processes.aggregate(
        open=Count("pk", filter=Q(closed=False)),
        closed=Count("pk", filter=Q(closed=True)),
        this_year=Count("pk", filter=Q(fiscal_year=timezone.localdate().year)),
    )
    in_review = (
        scope_queryset(selectors.stage_tasks(), user, field=selectors.TASK_ENTITY)
        .filter(status__in=selectors.ACTIVE)
        .exclude(flow_task__endswith=".capture")
        .count()
    )
    return {
        **counts,
        "in_review": in_review,
        "alerts_url": url_if_installed("indicadores:alert-list"),
    }


def url_if_installed(name: str) -> str:
    """The URL of a screen another app provides, or "" when that app is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def forms_home(user) -> dict:
    """The stage forms an editor works on: their entity's, with unpublished changes first."""
    definitions = FormDefinition.objects.all()
    if not is_national_admin(user):
        definitions = definitions.filter(entity__in=entity_ids_for(user, {Role.EDITOR}))
    counts = definitions.aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(has_unpublished_changes=True))
    )
    recent = definitions.select_related("entity").order_by("-has_unpublished_changes", "title")
    return {**counts, "definitions": list(recent[:RECENT])}


def role_panels(request) -> list[HomePanel]:
    """The panels of every role the person holds, in the order of the work."""
    user = request.user
    now = timezone.now()
    capturista, aprobador = holds(user, {Role.CAPTURISTA}), holds(user, {Role.APROBADOR})
    tasks = selectors.inbox_tasks(user=user) if capturista or aprobador else []
    panels = []
    if capturista:
        context = capture_home(user, tasks, now)
        panels.append(HomePanel("mi-captura", "workflows/home/capture.html", 10, context))
    if aprobador:
        context = review_home(tasks, now)
        panels.append(HomePanel("mis-revisiones", "workflows/home/review.html", 20, context))
    if holds(user, {Role.OIC}):
        context = entity_overview(user)
        panels.append(HomePanel("panorama-ente", "workflows/home/overview.html", 30, context))
    if holds(user, {Role.EDITOR}):
        context = forms_home(user)
        panels.append(HomePanel("mis-formularios", "workflows/home/forms.html", 40, context))
    return panels
