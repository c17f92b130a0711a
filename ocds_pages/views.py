"""Public views of the published side."""

from django.core.paginator import EmptyPage
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cms.links import absolute_url, request_url, site_url
from ocds_pages import public
from ocds_pages import public_search as search
from ocds_pages.extension import project_extension_metadata, project_release_schema
from ocds_pages.models import Record, Release
from ocds_pages.packages import (
    declared_by,
    iter_record_package,
    iter_release_package,
    package_extensions,
    record_json,
)
from ocds_pages.schema import PROJECT_EXTENSION, extension_file

PAGE_SIZE = search.PAGE_SIZE

# Consumers (Kingfisher, the Data Review Tool) fetch extension files from other origins.
_CORS = {"Access-Control-Allow-Origin": "*"}


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, headers=_CORS, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def extension_metadata(request):
    """``extension.json`` of the project's own OCDS extension."""
    return _json(project_extension_metadata())


@require_safe
def extension_release_schema(request):
    """``release-schema.json`` of the project's own OCDS extension, incl. contributed fields."""
    return _json(project_release_schema())


@require_safe
def extension_codelist(request, codelist: str):
    """A codelist the project's own extension declares (``codelists/bidStatus.csv``)."""
    return _extension_file(PROJECT_EXTENSION, f"codelists/{codelist}")


@require_safe
def bundled_extension_file(request, name: str, path: str):
    """A file of an EDCA-MX extension as bundled (the one the system validates with)."""
    return _extension_file(name, path)


def _extension_file(name: str, path: str) -> HttpResponse:
    found = extension_file(name, path)
    if found is None:
        raise Http404(_("La extensión no declara ese archivo."))
    content_type = "text/csv" if path.endswith(".csv") else "application/json"
    content_type = f"{content_type}; charset=utf-8"
    return HttpResponse(found.read_bytes(), content_type=content_type, headers=_CORS)


# --- public transparency site ------------------------------------------------------------------
# Plain Django views mounted before Wagtail's catch-all (cms/urls.py): the pages are functions of
# the published data, not content an editor writes, and a view per URL keeps each page's queries
# visible and countable (tests/ocds_pages/test_public_queries.py). Editors' pages (home, help,
# policy, licence) are Wagtail pages in cms.


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("pagina", "1")), 1)
    except ValueError:
        return 1


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _search_form(request):
    entities, units = public.cached("busqueda", "opciones", search.filter_choices)
    return search.ProcessSearchForm(request.GET or None, entities=entities, units=units)


def _cleaned(form) -> dict:
    """The valid filters; an invalid one (a typo in a shared URL) is ignored, not fatal."""
    if form.is_bound:
        form.is_valid()
        return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    return {}


@require_safe
@public.cached_page(public.SEARCH_CACHE_SECONDS)
def process_search(request):
    """Búsqueda de procesos: filters, sorting, pagination and result counts, all in the URL."""
    form = _search_form(request)
    data = _cleaned(form)
    rows = search.result_page_rows(search.search_processes(data=data))
    paginator = search.CappedPaginator(rows, PAGE_SIZE)
    try:
        page = paginator.page(_page_number(request))
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    context = {
        "form": form,
        "page_obj": page,
        "paginator": paginator,
        "filters_query": _query_without(request, "pagina"),
        "download_query": _query_without(request, "pagina", "orden"),
        "meta_title": _("Buscar procesos de contratación"),
        "meta_description": _(
            "Busque y descargue los procesos de contratación pública publicados en OCDS."
        ),
    }
    return render(request, "ocds_pages/process_search.html", context)


def _download_queryset(request):
    form = _search_form(request)
    return search.search_processes(data=_cleaned(form))


@require_safe
def process_search_csv(request):
    """The filtered processes as CSV, streamed (never held in memory)."""
    rows = search.iter_csv(queryset=_download_queryset(request), site_url=site_url(request))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="procesos.csv"'
    return response


@require_safe
def process_search_json(request):
    """The filtered processes as an OCDS release package of their compiled releases, streamed."""
    queryset = _download_queryset(request)
    texts = search.compiled_release_texts(queryset)
    extensions = declared_by(queryset, "record__extensions")
    stream = iter_release_package(releases=texts, uri=request_url(request), extensions=extensions)
    response = StreamingHttpResponse(stream, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="procesos.json"'
    return response


@require_safe
@public.cached_page(public.CACHE_SECONDS)
def process_page(request, ocid):
    """The permalink of a contracting process."""
    detail = public.process_detail(ocid=ocid)
    summary = detail["summary"]
    context = {
        **detail,
        "meta_title": summary["title"],
        "meta_description": _("%(buyer)s · %(method)s · %(ocid)s")
        % {"buyer": summary["buyer"], "method": summary["method"] or "—", "ocid": ocid},
        "og_type": "article",
    }
    return render(request, "ocds_pages/process_page.html", context)


def _attachment(content, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def process_record_json(request, ocid):
    """The OCDS record package of one process (its releases, compiled and versioned release)."""
    record = get_object_or_404(
        Record.objects.only("ocid", "compiled_release", "versioned_release", "extensions"),
        ocid=ocid,
    )
    texts = Release.objects.filter(ocid=ocid).order_by("date", "pk").values_list("data", flat=True)
    one = record_json(
        ocid=ocid,
        releases=texts,
        compiled=record.compiled_release,
        versioned=record.versioned_release,
    )
    package = iter_record_package(
        records=[one],
        uri=request_url(request),
        extensions=package_extensions([record.extensions]),
    )
    return _attachment(b"".join(package), f"{ocid}.json")


@require_safe
def release_json(request, ocid, release_id):
    """One release of a process, in a release package."""
    text, extensions = get_object_or_404(
        Release.objects.values_list("data", "extensions"), ocid=ocid, release_id=release_id
    )
    package = iter_release_package(
        releases=[text], uri=request_url(request), extensions=package_extensions([extensions])
    )
    return _attachment(b"".join(package), f"{release_id}.json")


@require_safe
def entity_index(request):
    context = {
        "entities": public.entity_list(),
        "meta_title": _("Entes públicos que publican"),
        "meta_description": _("Entes públicos con procesos de contratación publicados en OCDS."),
    }
    return render(request, "ocds_pages/entity_index.html", context)


@require_safe
def entity_page(request, key):
    detail = public.entity_detail(key=key)
    context = {
        **detail,
        "meta_title": detail["entity"]["name"],
        "meta_description": _("Procesos de contratación de %(name)s: %(count)s publicados.")
        % {"name": detail["entity"]["name"], "count": detail["figures"]["count"]},
    }
    return render(request, "ocds_pages/entity_page.html", context)


@require_safe
def supplier_page(request, key):
    detail = public.supplier_detail(key=key)
    context = {
        **detail,
        "meta_title": detail["supplier"]["name"],
        "meta_description": _("Contratos de %(name)s con entes públicos: %(count)s procesos.")
        % {"name": detail["supplier"]["name"], "count": detail["count"]},
    }
    return render(request, "ocds_pages/supplier_page.html", context)


@require_safe
def robots_txt(request):
    """Crawlers may read the public pages; not the admin, the APIs nor the bulk downloads."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /oauth/",
        "Disallow: /procesos/descargar/",
        "Allow: /",
        f"Sitemap: {absolute_url('/sitemap.xml', request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
