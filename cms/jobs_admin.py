"""«Trabajos» in the admin: the long jobs staff started, their progress and result, and a form to
start one (cms/jobs.py does the work).

The national administrator sees and starts every kind; an entity administrator sees the jobs of
their entities and starts the kinds that are done for one entity (``scope = ENTITY``). A job of
another entity answers 404, as everything outside one's scope (cms.tenancy).
"""

import json

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from cms import jobs
from cms.models import Entity, Job
from cms.roles import ENTITY_ADMIN_ROLES
from cms.tenancy import entity_ids_for, is_national_admin

PAGE_SIZE = 50


def can_use_jobs(user) -> bool:
    return is_national_admin(user) or bool(entity_ids_for(user, ENTITY_ADMIN_ROLES))


def visible_jobs(user):
    """Jobs the user may follow: all for the national administrator, else their entities' jobs."""
    queryset = Job.objects.select_related("requested_by", "entity")
    if is_national_admin(user):
        return queryset
    return queryset.filter(entity_id__in=entity_ids_for(user, ENTITY_ADMIN_ROLES) or [])


def startable_kinds(user) -> list[jobs.JobKind]:
    if is_national_admin(user):
        return jobs.kinds()
    if not entity_ids_for(user, ENTITY_ADMIN_ROLES):
        return []
    return [kind for kind in jobs.kinds() if kind.scope == jobs.ENTITY]


def administered_entities(user):
    entities = Entity.objects.order_by("name")
    if is_national_admin(user):
        return entities
    return entities.filter(pk__in=entity_ids_for(user, ENTITY_ADMIN_ROLES) or [])


def start_form_class(kind: jobs.JobKind, user) -> type[forms.Form]:
    """The kind's own parameter form, plus the entity for the kinds done for one entity."""
    base = kind.form_class or forms.Form
    if kind.scope != jobs.ENTITY:
        return base
    national = is_national_admin(user)
    entities = administered_entities(user)
    # An entity's administrator usually administers one entity: it comes chosen.
    choices = [] if national else list(entities[:2])
    entity_field = forms.ModelChoiceField(
        label=gettext_lazy("Ente"),
        queryset=entities,
        required=not national,
        empty_label=gettext_lazy("Toda la instalación") if national else "---------",
        initial=choices[0] if len(choices) == 1 else None,
        help_text=gettext_lazy("Ente para el que se hace el trabajo."),
    )
    # The entity first: the kind's own parameters are about the work done for it.
    return type("StartJobForm", (base,), {"entity": entity_field, "field_order": ["entity"]})


def parameters_of(form) -> dict:
    """The job's parameters from the cleaned form: uploads are stored and become their path. A
    form that keeps something out of the job's row (a secret it stores elsewhere) defines
    ``job_parameters(parameters)``, which returns what the row keeps."""
    parameters = {}
    for name, value in form.cleaned_data.items():
        if name == "entity":
            continue
        parameters[name] = jobs.store_upload(value) if isinstance(value, UploadedFile) else value
    keep = getattr(form, "job_parameters", None)
    return keep(parameters) if keep else parameters


def _require(user):
    if not can_use_jobs(user):
        raise Http404


def _label(key: str) -> str:
    try:
        return jobs.get_kind(key).label
    except jobs.JobError:
        return key


def job_list(request):
    _require(request.user)
    page = Paginator(visible_jobs(request.user), PAGE_SIZE).get_page(request.GET.get("p"))
    for job in page:
        job.kind_label = _label(job.kind)
    return render(
        request,
        "cms/jobs/list.html",
        {
            "page": page,
            "kinds": startable_kinds(request.user),
            "any_active": any(not job.finished for job in page),
        },
    )


def shown_parameters(parameters: dict) -> dict:
    """A job's parameters as the detail page shows them: a password or secret a form took (a
    job moves it elsewhere when it runs) is never shown."""
    return {
        name: "••••••" if name == "password" or name.endswith("secret") else value
        for name, value in parameters.items()
    }


def job_detail(request, pk):
    _require(request.user)
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    job.kind_label = _label(job.kind)
    job.shown_parameters = shown_parameters(job.parameters or {})
    return render(request, "cms/jobs/detail.html", {"job": job})


def job_status(request, pk):
    """What the detail page polls while the job runs (a few fields, one query)."""
    _require(request.user)
    job = get_object_or_404(visible_jobs(request.user), pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "note": job.progress_note,
            "finished": job.finished,
        }
    )


def job_start(request, key):
    _require(request.user)
    kind = next((kind for kind in startable_kinds(request.user) if kind.key == key), None)
    if kind is None:
        raise Http404
    form_class = start_form_class(kind, request.user)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.create_job(
            kind.key,
            parameters_of(form),
            user=request.user,
            entity=form.cleaned_data.get("entity"),
        )
        jobs.start(job)
        messages.success(
            request,
            _("Trabajo %(id)s iniciado: «%(label)s». Puede seguir trabajando; aquí verá su avance.")
            % {"id": job.pk, "label": kind.label},
        )
        return redirect("cms_job_detail", pk=job.pk)
    return render(request, "cms/jobs/start.html", {"kind": kind, "form": form})


# --- Wiring into the Wagtail admin ----------------------------------------------------------


class JobsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use_jobs(request.user)


@hooks.register("register_admin_urls")
def register_job_urls():
    return [
        path("trabajos/", job_list, name="cms_jobs"),
        path("trabajos/<int:pk>/", job_detail, name="cms_job_detail"),
        path("trabajos/<int:pk>/estado/", job_status, name="cms_job_status"),
        path("trabajos/nuevo/<slug:key>/", job_start, name="cms_job_start"),
    ]


@hooks.register("register_admin_menu_item")
def register_jobs_menu_item():
    return JobsMenuItem(
        gettext_lazy("Trabajos"), reverse("cms_jobs"), name="trabajos", icon_name="cogs", order=210
    )


# --- Periodic schedules (django-celery-beat), for the national administrator ----------------


class NationalAdminOnly(PermissionHelper):
    def user_can_list(self, user):
        return is_national_admin(user)

    def user_can_create(self, user):
        return is_national_admin(user)

    def user_can_inspect_obj(self, user, obj):
        return is_national_admin(user)

    def user_can_edit_obj(self, user, obj):
        return is_national_admin(user)

    def user_can_delete_obj(self, user, obj):
        return is_national_admin(user)


class ScheduleForm(WagtailAdminModelForm):
    """A schedule runs one registered job kind with its parameters (``{"parameters": {...}}``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"] = forms.ChoiceField(
            label=gettext_lazy("Trabajo"),
            choices=[(kind.task_name, kind.label) for kind in jobs.kinds()],
            help_text=gettext_lazy("Cada ejecución queda registrada en «Trabajos»."),
        )
        self.fields["kwargs"].label = gettext_lazy("Parámetros (JSON)")
        self.fields["kwargs"].help_text = gettext_lazy(
            'Por ejemplo {"parameters": {"system": "S1"}}; {} para los valores de omisión.'
        )

    def clean_kwargs(self):
        text = self.cleaned_data.get("kwargs") or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("No es JSON válido: %(error)s") % {"error": exc}) from exc
        if not isinstance(value, dict) or set(value) - {"parameters", "entity_id"}:
            raise forms.ValidationError(
                _('Escriba un objeto con la llave "parameters" (y "entity_id" si es de un ente).')
            )
        return text


class PeriodicTaskAdmin(ModelAdmin):
    model = PeriodicTask
    menu_label = gettext_lazy("Programación")
    menu_icon = "time"
    permission_helper_class = NationalAdminOnly
    list_display = ("name", "task", "crontab", "interval", "enabled", "last_run_at")
    list_filter = ("enabled",)
    search_fields = ("name", "task")
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("task"),
            FieldPanel("crontab"),
            FieldPanel("interval"),
            FieldPanel("kwargs"),
            FieldPanel("enabled"),
            FieldPanel("description"),
        ],
        base_form_class=ScheduleForm,
    )


class CrontabScheduleAdmin(ModelAdmin):
    model = CrontabSchedule
    menu_label = gettext_lazy("Horarios")
    menu_icon = "date"
    permission_helper_class = NationalAdminOnly
    list_display = ("__str__", "timezone")


class IntervalScheduleAdmin(ModelAdmin):
    model = IntervalSchedule
    menu_label = gettext_lazy("Intervalos")
    menu_icon = "repeat"
    permission_helper_class = NationalAdminOnly
    list_display = ("__str__",)


@modeladmin_register
class ScheduleGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Programación de trabajos")
    menu_icon = "time"
    menu_order = 220
    items = (PeriodicTaskAdmin, CrontabScheduleAdmin, IntervalScheduleAdmin)
