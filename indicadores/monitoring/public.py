"""The public side of contract monitoring: sections of the public pages and citizen reports.

Registered in ``ocds_pages.public_panels`` (docs/arquitectura.md §4): the process page gains
each contract's progress (milestones, payments, amendments, guarantees — no personal data: the
supplier's RFC is not shown here and a natural person's never is), the entity page its portfolio
by status. Anyone may report a problem with a delivery; the report waits for the entity's
moderation and is never published (the OIC reads accepted ones beside the contract).
"""

import io

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from PIL import Image, UnidentifiedImageError

from cms.client_address import client_address
from indicadores.monitoring.choices import PRECEDENCE, ContractStatus
from indicadores.monitoring.models import CitizenReport, MonitoredContract
from indicadores.panel_cache import PanelCache
from workflows.base.uploads import UploadRefused, check_upload

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_SIDE = 2000
# Renewed whenever the stored rows change (store.refresh: each publication and each batch of
# calcular_indicadores), so a cached section is never older than the rows it shows.
PANELS = PanelCache("seguimiento-publico")


# --- sections of the public pages ---------------------------------------------------------------


def process_section(ocid: str) -> str:
    # Cached until the rows change (an hour at most): a second visit makes no query
    # (tests/ocds_pages/test_public_queries.py).
    contracts = PANELS.cached(
        "proceso",
        ocid,
        lambda: list(MonitoredContract.objects.filter(ocid=ocid).order_by("contract_id")),
    )
    if not contracts:
        return ""
    return render_to_string("indicadores/monitoring/public_process.html", {"contracts": contracts})


def entity_figures(key: str) -> dict:
    contracts = MonitoredContract.objects.filter(entity__key=key)
    counts = contracts.aggregate(
        total=Count("pk"),
        amount=Sum("amount"),
        paid=Sum("paid"),
        overdue=Count("pk", filter=Q(overdue=True)),
        over_amended=Count("pk", filter=Q(over_amended=True)),
        **{f"n_{status}": Count("pk", filter=Q(status=status)) for status in PRECEDENCE},
    )
    counts["by_status"] = [
        (ContractStatus(status).label, status, counts[f"n_{status}"]) for status in PRECEDENCE
    ]
    return counts


def entity_section(key: str) -> str:
    figures = PANELS.cached("ente", key, lambda: entity_figures(key))
    if not figures["total"]:
        return ""
    return render_to_string("indicadores/monitoring/public_entity.html", {"figures": figures})


# --- citizen reports ----------------------------------------------------------------------------


class ReportForm(forms.ModelForm):
    contrato = forms.ChoiceField(label=gettext_lazy("Contrato"))

    class Meta:
        model = CitizenReport
        fields = ["kind", "description", "place", "photo", "contact"]
        labels = {
            "kind": gettext_lazy("¿Qué problema encontró?"),
            "description": gettext_lazy("Cuéntenos qué vio"),
            "place": gettext_lazy("¿Dónde? (opcional)"),
            "photo": gettext_lazy("Foto (opcional)"),
            "contact": gettext_lazy("Correo para darle respuesta (opcional)"),
        }
        help_texts = {
            "kind": "",
            "description": gettext_lazy(
                "Qué falta o qué no sirve, desde cuándo; no escriba datos personales de nadie."
            ),
            "place": gettext_lazy("Unidad médica, escuela u obra, con su municipio."),
            "photo": gettext_lazy(
                "JPEG o PNG de hasta 8 MB. Quitamos la ubicación y demás datos de la foto."
            ),
            "contact": gettext_lazy("Sólo lo verá el ente; no se publica."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contrato"].choices = [
            (c.contract_id, c.title or c.contract_id) for c in contracts
        ]
        self.fields["kind"].choices = [("", gettext_lazy("Elija uno")), *CitizenReport.Kind.choices]
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png"
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_ayuda"
        self.order_fields(["contrato", "kind", "description", "place", "photo", "contact"])

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("La foto pesa más de 8 MB."))
        try:
            checked = check_upload(photo)
        except UploadRefused as error:
            raise forms.ValidationError(str(error)) from None
        if checked.content_type not in ("image/jpeg", "image/png"):
            raise forms.ValidationError(_("La foto debe ser JPEG o PNG."))
        return without_metadata(photo)


def without_metadata(photo) -> SimpleUploadedFile:
    """The photo re-encoded as JPEG from its pixels only: no EXIF (GPS position, camera, time)."""
    try:
        photo.seek(0)
        image = Image.open(photo)
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        clean = Image.new("RGB", image.size)
        clean.paste(image.convert("RGB"))
    except (UnidentifiedImageError, OSError):
        raise forms.ValidationError(_("No se pudo leer la imagen.")) from None
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def reports_per_hour() -> int:
    return int(getattr(settings, "SEGUIMIENTO_REPORTES_POR_HORA", 5))


def _over_limit(request) -> bool:
    """Counts this address's reports in the last hour (a fixed hourly window in the cache)."""
    key = f"reporte-ciudadano:{client_address(request) or 'desconocida'}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > reports_per_hour()


@require_http_methods(["GET", "POST"])
def report(request, ocid):
    contracts = list(MonitoredContract.objects.filter(ocid=ocid).order_by("contract_id"))
    if not contracts:
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, contracts=contracts)
    if request.method == "POST" and form.is_valid():
        if _over_limit(request):
            form.add_error(
                None, _("Recibimos varios reportes desde su conexión; inténtelo en una hora.")
            )
        else:
            saved = form.save(commit=False)
            chosen = next(c for c in contracts if c.contract_id == form.cleaned_data["contrato"])
            saved.ocid, saved.contract_id, saved.entity_id = (
                ocid,
                chosen.contract_id,
                chosen.entity_id,
            )
            saved.save()
            return redirect(f"{request.path}?enviado=1")
    context = {"form": form, "ocid": ocid, "sent": request.GET.get("enviado") == "1"}
    return render(request, "indicadores/monitoring/public_report.html", context)
