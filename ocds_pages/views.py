"""Public views of the published side."""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from ocds_pages.extension import project_extension_metadata, project_release_schema

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
