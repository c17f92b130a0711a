"""Django forms of the process screens (creating a process, filtering, uploading a document).

The stage data itself is captured with the stage form engine (workflows.forms.forms_engine); these
forms only cover what the process holds outside any stage.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import PurchasingUnit
from cms.tenancy import scope_queryset
from workflows.base.procedures import ProcedureType, Stage
from workflows.base.uploads import accept_attribute, validate_upload
from workflows.processes import document_types
from workflows.processes.permissions import capture_units
from workflows.processes.process_models import MainProcurementCategory


class ProcessForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=PurchasingUnit.objects.none(), label=_("Unidad compradora"), empty_label=None
    )
    title = forms.CharField(label=_("Título"), max_length=300)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea, required=False)
    main_procurement_category = forms.ChoiceField(
        label=_("Categoría principal"), choices=MainProcurementCategory.choices
    )
    procedure_type = forms.ChoiceField(
        label=_("Tipo de procedimiento"), choices=ProcedureType.choices
    )
    fiscal_year = forms.IntegerField(label=_("Ejercicio fiscal"), min_value=2000, max_value=2100)
    budget_lines = forms.CharField(
        label=_("Partidas presupuestales"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Una por renglón: clave | descripción | monto. Ej.: 25301 | Medicinas | 250000"
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope_queryset(PurchasingUnit.objects.filter(active=True), user)
        allowed = [unit.pk for unit in capture_units(user, list(units))]
        self.fields["unit"].queryset = PurchasingUnit.objects.filter(pk__in=allowed)
        self.fields["fiscal_year"].initial = timezone.localdate().year

    def clean_budget_lines(self):
        lines = []
        for number, text in enumerate(self.cleaned_data["budget_lines"].splitlines(), start=1):
            if text.strip():
                lines.append(_budget_line(text, number))
        return lines

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def _budget_line(text: str, number: int) -> dict:
    parts = [part.strip() for part in text.split("|")]
    try:
        key, description, amount = parts
        value = Decimal(amount.replace(",", ""))
    except (ValueError, InvalidOperation) as wrong:
        raise forms.ValidationError(
            _("Renglón %(number)s: escriba clave | descripción | monto."),
            params={"number": number},
        ) from wrong
    if value < 0:
        raise forms.ValidationError(
            _("Renglón %(number)s: el monto no puede ser negativo."), params={"number": number}
        )
    return {"id": key, "description": description, "amount": float(value)}


class ProcessFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar (ocid o título)"), required=False)
    procedure_type = forms.ChoiceField(
        label=_("Procedimiento"), choices=[("", _("Todos")), *ProcedureType.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Etapa en curso"), choices=[("", _("Todas")), *Stage.choices], required=False
    )
    fiscal_year = forms.IntegerField(label=_("Ejercicio"), required=False)
    closed = forms.ChoiceField(
        label=_("Estado"),
        choices=[("", _("Todos")), ("0", _("En trámite")), ("1", _("Concluidos"))],
        required=False,
    )


class DocumentForm(forms.Form):
    stage = forms.ChoiceField(label=_("Etapa en que se publica"), choices=Stage.choices)
    title = forms.CharField(label=_("Título"), max_length=300)
    document_type = forms.ChoiceField(
        label=_("Tipo de documento"),
        choices=document_types.choices,
        help_text=_("Elija qué es el documento; se publica con su código de la lista de OCDS."),
    )
    document_id = forms.CharField(
        label=_("Nueva versión de"),
        required=False,
        max_length=64,
        help_text=_(
            "Deje vacío para un documento nuevo; escriba su id (p. ej. doc-1) para subir "
            "una nueva versión."
        ),
    )
    file = forms.FileField(
        label=_("Archivo"),
        validators=[validate_upload],
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )

    def __init__(self, *args, stage: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if stage:
            # The process's current stage: its document types come first.
            self.fields["stage"].initial = stage
            self.fields["document_type"].choices = document_types.choices(stage)

    def kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "stage": data["stage"],
            "title": data["title"],
            "document_type": data["document_type"],
            "document_id": data["document_id"],
        }
