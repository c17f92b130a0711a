"""``/api/ocds/bulk/``: the listing of bulk files and the files themselves.

Files are served from OCDS_BULK_DIR with ``Last-Modified`` and a 304 to ``If-Modified-Since``
(Django's ``condition()``; Kingfisher and the Data Registry use it to skip what they already
have); only names present in the listing are served, so no path can escape the folder. In
production the web server may serve the folder directly.
"""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from cms.api_errors import error_response
from cms.links import absolute_url
from ocds_pages.api import PublicOcdsView
from ocds_pages.bulk import read_metadata


class BulkFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Ruta del archivo dentro de /api/ocds/bulk/.")
    url = serializers.URLField(help_text="Dirección de descarga.")
    year = serializers.IntegerField(help_text="Año de los datos.")
    format = serializers.CharField(
        help_text="jsonl.gz (entregas compiladas, una por línea), release-package.json.gz, "
        "record-package.json.gz, csv.zip y xlsx (tablas seleccionadas en español) o "
        "full.csv.zip y full.xlsx (todos los campos, una tabla por arreglo)."
    )
    count = serializers.IntegerField(help_text="Entregas o procesos que contiene.")
    size = serializers.IntegerField(help_text="Tamaño del archivo en bytes.")
    uncompressed_size = serializers.IntegerField(
        help_text="Bytes de JSON sin comprimir (0 en tablas); nunca más de 1 GB por archivo."
    )
    sha256 = serializers.CharField(help_text="Suma SHA-256 del archivo, para verificarlo.")
    generated_at = serializers.CharField(help_text="Cuándo se generó (RFC 3339).")
    part = serializers.IntegerField(
        allow_null=True, help_text="Número de parte si el año se dividió; null si es uno solo."
    )


class BulkListingSerializer(serializers.Serializer):
    generated_at = serializers.CharField(
        allow_null=True, help_text="Cuándo se generó el listado por última vez."
    )
    files = BulkFileSerializer(many=True, help_text="Archivos disponibles, por año.")


class BulkListView(PublicOcdsView):
    @extend_schema(
        operation_id="ocds_bulk",
        summary="Archivos masivos",
        description=(
            "Listado de descargas masivas por año: entregas compiladas en JSON Lines con gzip, "
            "paquetes de entregas, y tablas planas en CSV (zip) y XLSX con encabezados en "
            "español. Cada archivo trae tamaño, número de elementos, sha256 y fecha."
        ),
        responses={200: BulkListingSerializer},
        tags=["OCDS"],
    )
    def get(self, request):
        listing = read_metadata()
        for item in listing["files"]:
            item["url"] = absolute_url(f"/api/ocds/bulk/{item['name']}", request)
        return Response(listing)


def listed_file(name: str) -> Path | None:
    """The bulk file ``name`` if the listing has it and it exists; only listed names are served."""
    listed = {item["name"] for item in read_metadata()["files"]}
    path = Path(settings.OCDS_BULK_DIR) / name
    return path if name in listed and path.is_file() else None


def _file_modified(request, name) -> datetime | None:
    path = listed_file(name)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) if path else None


class BulkFileView(PublicOcdsView):
    @extend_schema(
        operation_id="ocds_bulk_file",
        summary="Descargar un archivo masivo",
        description=(
            "El archivo, con Last-Modified (304 si no cambió desde If-Modified-Since); sólo se "
            "sirven los archivos del listado."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            304: None,
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="{code, message}: no existe."),
        },
        tags=["OCDS"],
    )
    @method_decorator(condition(last_modified_func=_file_modified))
    def get(self, request, name):
        path = listed_file(name)
        if path is None:
            return error_response(status.HTTP_404_NOT_FOUND, _("No existe ese archivo masivo."))
        # condition() adds Last-Modified.
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
