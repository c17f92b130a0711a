"""Django forms of the process screens (creating a process, filtering, uploading a document).

The stage data itself is captured with the stage form engine (workflows.forms.forms_engine); these
forms only cover what the process holds outside any stage.
"""

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import PurchasingUnit
from cms.tenancy import scope_queryset
from workflows.base import currencies
from workflows.base.procedures import ProcedureType, Stage
from workflows.base.uploads import accept_attribute, validate_upload
from workflows.forms.forms_engine import DELETE_LABEL, AccessibleFormMixin
from workflows.processes import document_types
from workflows.processes.permissions import capture_units
from workflows.processes.process_models import MainProcurementCategory

BUDGET_PREFIX = "presupuesto"


class BudgetLineForm(AccessibleFormMixin, forms.Form):
    """One budget line of a new process: the partida that pays for it and its amount."""

    clave = forms.CharField(
        label=_("Clave de la partida"),
        validators=[
            RegexValidator(
                r"^\d{5}$",
                _(
                    "La partida lleva los cinco dígitos del clasificador por objeto del gasto "
                    "(p. ej. 25301)."
                ),
            )
        ],
        help_text=_("Cinco dígitos del clasificador por objeto del gasto."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    descripcion = forms.CharField(label=_("Descripción de la partida"), max_length=300)
    monto = forms.DecimalField(
        label=_("Monto de la partida"),
        min_value=0,
        max_digits=18,
        decimal_places=2,
        error_messages={
            "min_value": _("El monto de una partida presupuestal no puede ser negativo.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monto"].help_text = _("Importe asignado, en %(currency)s.") % {
            "currency": currencies.default_currency()
        }
        self._describe_all()

    def line(self) -> dict:
        """The line as the process keeps it (``ContractingProcess.budget_lines``)."""
        data = self.cleaned_data
        return {
            "id": data["clave"],
            "description": data["descripcion"],
            "amount": float(data["monto"]),
        }


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = DELETE_LABEL

    def lines(self) -> list[dict]:
        """The rows typed and not removed (an untouched empty row is no line)."""
        return [
            row.line()
            for row in self.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetLineFormSet,
    extra=1,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


def _with_extra_rows(data, rows: int):
    """The posted data with ``rows`` more budget rows (the no-JS «Agregar fila» button)."""
    if data is None or not rows:
        return data
    data = data.copy()
    key = f"{BUDGET_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key) or 0)
    except ValueError:
        total = 0
    data[key] = str(min(total + rows, 200))
    return data


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

    def __init__(self, *args, user=None, extra_budget_rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope_queryset(PurchasingUnit.objects.filter(active=True), user)
        allowed = [unit.pk for unit in capture_units(user, list(units))]
        self.fields["unit"].queryset = PurchasingUnit.objects.filter(pk__in=allowed)
        self.fields["fiscal_year"].initial = timezone.localdate().year
        # Budget lines are rows, like the repeating groups of the stage forms; the planning
        # starts from them (workflows/processes/prefill.py).
        data = _with_extra_rows(self.data if self.is_bound else None, extra_budget_rows)
        self.budget_lines = BudgetLineFormSet(data, prefix=BUDGET_PREFIX)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.budget_lines.is_valid() and valid

    def service_kwargs(self) -> dict:
        return {**self.cleaned_data, "budget_lines": self.budget_lines.lines()}


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
