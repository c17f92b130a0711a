"""Staff screens of the market research (/tramite/mercado/…).

Staff whose role carries ``mercado.view_marketstudy`` search prices and candidate suppliers (with
their integrity screening against the registries and the alerts of their entities) and read the
studies; capturistas (``mercado.add_marketstudy`` / ``change_marketstudy``) run them
(indicadores/market/permissions.py). A study keeps a search, the rows and suppliers excluded from
its basket with the reason, and the method of the reference price; it belongs to an entity and
another entity's study answers 404 (cms.tenancy).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.models import Entity
from cms.tenancy import get_scoped_or_404, is_national_admin, scope_queryset
from indicadores.market import items, screening, selectors, services, suppliers
from indicadores.market.forms import ExclusionForm, SearchForm, StudyForm
from indicadores.market.inflation import Adjuster
from indicadores.market.models import Exclusion, MarketReport, MarketStudy
from indicadores.market.permissions import CREATE, VIEW, WORK, entities_for, may, roles_with
from workflows.base.uploads import UploadRefused
from workflows.processes.permissions import may_capture

MAX_SHOWN_ROWS = 200
# Candidates a screen lists (and screens), highest score first; a key sold by thousands of
# suppliers listed them all in an 11 MB page. The report and the API list them all.
MAX_SHOWN_CANDIDATES = 100


def _require_member(user, permission: str = VIEW) -> set[int] | None:
    """The entity ids where the user holds ``permission`` (None: all); 403 without it."""
    return entities_for(user, permission)


def _screenings(found, entity_ids) -> dict:
    parties = {c.key: screening.party_of(c.supplier_id, c.name, c.rfc) for c in found}
    return screening.screen(parties, entity_ids=entity_ids)


def _context(result: selectors.Basket) -> dict:
    return {
        "basket": result,
        "reference": result.reference,
        "rows": result.reference.rows,
        "max_rows": MAX_SHOWN_ROWS,
        "candidates": result.candidates,
        "candidates_total": result.candidates_total,
        "inpc_loaded": Adjuster.current().available,
    }


def items_first(search: dict, params) -> bool:
    """Words without a key: first the items they describe, to choose one; the basket of every
    matching item together only when asked for (``canasta=1``), as it mixes different items."""
    return (
        bool(search.get("texto")) and not search.get("clasificacion") and not params.get("canasta")
    )


def _items_context(search: dict) -> dict:
    try:
        found = items.find_items(search["texto"], familia=search.get("familia", ""))
    except items.ItemSearchError as error:
        return {"items_error": str(error)}
    return {"items": found, "basket_query": urlencode({**search, "canasta": "1"})}


@login_required
def search(request):
    entity_ids = _require_member(request.user)
    form = SearchForm(request.GET or None)
    context = {"form": form}
    searched = form.as_search() if form.is_bound and form.is_valid() else None
    if searched and items_first(searched, request.GET):
        context |= _items_context(searched)
    elif searched:
        result = selectors.basket(searched, row_limit=MAX_SHOWN_ROWS)
        result.shorten(MAX_SHOWN_CANDIDATES)
        screenings = _screenings(result.candidates, entity_ids)
        for candidate in result.candidates:
            candidate.screening = screenings.get(candidate.key)
        context |= _context(result)
        if may(request.user, CREATE):
            context["new_study"] = StudyForm()
            context["entities"] = _entities(request.user, CREATE)
        context["search_query"] = urlencode(searched)
    return render(request, "market/search.html", context)


def _entities(user, permission):
    queryset = Entity.objects.order_by("name")
    if is_national_admin(user):
        return queryset
    return scope_queryset(queryset, user, field="pk", roles=roles_with(permission))


@login_required
@require_POST
def study_create(request):
    _require_member(request.user, CREATE)
    form = SearchForm(request.POST)
    study_form = StudyForm(request.POST)
    entity = _entities(request.user, CREATE).filter(pk=request.POST.get("entity")).first()
    if not (form.is_valid() and study_form.is_valid()) or entity is None:
        messages.error(request, _("Escriba la necesidad y una búsqueda válida."))
        return redirect(reverse("mercado:search") + "?" + urlencode(request.POST.dict()))
    study = study_form.save(commit=False)
    study.entity, study.created_by, study.search = entity, request.user, form.as_search()
    study.save()
    return redirect("mercado:study", pk=study.pk)


def _study_or_404(request, pk, permission: str = VIEW) -> MarketStudy:
    """The study, if the user holds ``permission`` in its entity (403 without it anywhere)."""
    _require_member(request.user, permission)
    return get_scoped_or_404(
        MarketStudy.objects.select_related("entity"),
        request.user,
        roles=roles_with(permission),
        pk=pk,
    )


@login_required
def study_list(request):
    _require_member(request.user)
    studies = scope_queryset(
        MarketStudy.objects.select_related("entity"), request.user, roles=roles_with(VIEW)
    )
    return render(request, "market/study_list.html", {"studies": studies[:200]})


@login_required
def study_detail(request, pk):
    study = _study_or_404(request, pk)
    result = services.study_basket(
        study, row_limit=MAX_SHOWN_ROWS, candidate_limit=MAX_SHOWN_CANDIDATES
    )
    context = _context(result) | {
        "study": study,
        "exclusions": list(study.exclusions.all()),
        "study_form": StudyForm(instance=study),
        "reports": list(
            study.reports.defer("pdf", "xlsx").select_related("document", "created_by")[:10]
        ),
        "may_work": _may_work(request.user, study),
        "may_attach": study.process_id
        and _may_work(request.user, study)
        and may_capture(request.user, study.process),
    }
    return render(request, "market/study.html", context)


@login_required
@require_POST
def study_update(request, pk):
    study = _study_or_404(request, pk, WORK)
    form = StudyForm(request.POST, instance=study)
    if form.is_valid():
        form.save()
        messages.success(request, _("Investigación actualizada."))
    else:
        messages.error(request, _("Revise la necesidad, la cantidad y el método."))
    return redirect("mercado:study", pk=study.pk)


@login_required
@require_POST
def exclude(request, pk):
    study = _study_or_404(request, pk, WORK)
    form = ExclusionForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["reason"].strip():
        messages.error(request, _("Para excluir escriba el motivo."))
        return redirect("mercado:study", pk=study.pk)
    exclusion = form.save(commit=False)
    exclusion.study, exclusion.created_by = study, request.user
    try:
        exclusion.save()
    except IntegrityError:
        messages.info(request, _("Ya estaba excluido."))
    else:
        messages.success(
            request, _("Excluido de la canasta: %(label)s") % {"label": exclusion.label}
        )
    return redirect("mercado:study", pk=study.pk)


@login_required
@require_POST
def include(request, pk, exclusion_pk):
    study = _study_or_404(request, pk, WORK)
    Exclusion.objects.filter(study=study, pk=exclusion_pk).delete()
    messages.success(request, _("Se devolvió a la canasta."))
    return redirect("mercado:study", pk=study.pk)


def _may_work(user, study) -> bool:
    """Whether the user runs studies of the study's entity (the buttons of the study page)."""
    try:
        entity_ids = entities_for(user, WORK)
    except PermissionDenied:
        return False
    return entity_ids is None or study.entity_id in entity_ids


# --- supplier directory and profile (staff) ------------------------------------------------------


@login_required
def supplier_list(request):
    _require_member(request.user)
    text, code = request.GET.get("q", "").strip(), request.GET.get("clasificacion", "").strip()
    rows = suppliers.directory(text, code) if text or code else []
    return render(
        request, "market/supplier_list.html", {"rows": rows, "q": text, "clasificacion": code}
    )


@login_required
def supplier_detail(request, key):
    entity_ids = _require_member(request.user)
    found = suppliers.profile(key)
    if found is None:
        raise Http404
    party = screening.party_of(found.supplier_id, found.name, found.rfc)
    result = screening.screen({key: party}, entity_ids=entity_ids)[key]
    context = {
        "profile": found,
        "screening": result,
        "awarded": suppliers.awarded_total(found.processes),
    }
    return render(request, "market/supplier.html", context)


# --- reports -------------------------------------------------------------------------------------


@login_required
@require_POST
def report_create(request, pk):
    study = _study_or_404(request, pk, WORK)
    attach = bool(request.POST.get("adjuntar") and study.process_id)
    if attach and not may_capture(request.user, study.process):
        raise PermissionDenied(_("Sólo capturistas de la unidad del proceso adjuntan."))
    market_report = services.generate_report(study, request.user)
    if attach:
        try:
            document = services.attach_report(market_report, request.user)
        except UploadRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Reporte adjunto a la planeación de %(ocid)s (SHA-256 %(sha)s).")
                % {"ocid": study.process.ocid, "sha": document.sha256},
            )
    else:
        messages.success(request, _("Reporte generado."))
    return redirect("mercado:study", pk=study.pk)


FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@login_required
def report_file(request, pk, report_pk, kind):
    study = _study_or_404(request, pk)
    market_report = MarketReport.objects.filter(study=study, pk=report_pk).first()
    if market_report is None or kind not in FORMATS:
        raise Http404
    content_type, field = FORMATS[kind]
    response = HttpResponse(bytes(getattr(market_report, field)), content_type=content_type)
    name = f"investigacion-de-mercado-{study.pk}-{market_report.pk}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
