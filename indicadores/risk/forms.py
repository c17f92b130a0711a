"""Filters of the risk dashboard (every field optional; empty means «todos»)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from ocds_pages import labels


class DashboardFilterForm(forms.Form):
    ente = forms.ModelChoiceField(
        label=_("Ente público"),
        queryset=Entity.objects.none(),
        to_field_name="key",
        required=False,
        empty_label=_("Todos"),
    )
    unidad = forms.ModelChoiceField(
        label=_("Unidad compradora"),
        queryset=PurchasingUnit.objects.none(),
        to_field_name="key",
        required=False,
        empty_label=_("Todas"),
    )
    anio = forms.TypedChoiceField(label=_("Año"), coerce=int, required=False, empty_value=None)
    procedimiento = forms.ChoiceField(
        label=_("Tipo de procedimiento"),
        choices=[("", _("Todos")), *labels.choices("procurementMethod")],
        required=False,
    )
    categoria = forms.ChoiceField(
        label=_("Categoría"),
        choices=[("", _("Todas")), *labels.choices("mainProcurementCategory")],
        required=False,
    )

    def __init__(self, *args, entities, units, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ente"].queryset = entities
        self.fields["ente"].label_from_instance = lambda e: f"{e.key} · {e.name}"[:70]
        self.fields["unidad"].queryset = units
        self.fields["unidad"].label_from_instance = lambda u: f"{u.key} · {u.name}"[:70]
        self.fields["anio"].choices = [("", _("Todos")), *((y, y) for y in years)]


class DrillDownForm(forms.Form):
    """What a figure of the dashboard points at, on top of the dashboard's filters."""

    indicador = forms.CharField(required=False, max_length=40)
    con = forms.CharField(required=False, max_length=40)
    proveedor = forms.CharField(required=False, max_length=255)
