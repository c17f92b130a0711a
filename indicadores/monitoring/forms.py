"""The filters of the monitoring screens (dashboard, drill-down list, export)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from indicadores.monitoring import selectors
from indicadores.monitoring.choices import ContractStatus, OverdueGrade

CATEGORIES = [
    ("", _("Todas")),
    ("goods", _("Bienes")),
    ("services", _("Servicios")),
    ("works", _("Obra pública")),
]


def _distinct(contracts, field: str) -> list[int]:
    return list(contracts.order_by().values_list(field, flat=True).distinct())


class PortfolioFilterForm(forms.Form):
    estado = forms.ChoiceField(
        label=_("Estado"), required=False, choices=[("", _("Todos")), *ContractStatus.choices]
    )
    grado = forms.ChoiceField(
        label=_("Grado de atraso"),
        required=False,
        choices=[("", _("Todos")), *[c for c in OverdueGrade.choices if c[0]]],
    )
    proveedor = forms.CharField(label=_("Proveedor (RFC o nombre)"), required=False, max_length=200)
    categoria = forms.ChoiceField(label=_("Categoría"), required=False, choices=CATEGORIES)
    procedimiento = forms.ChoiceField(label=_("Procedimiento"), required=False)
    unidad = forms.ModelChoiceField(
        label=_("Unidad compradora"),
        required=False,
        queryset=PurchasingUnit.objects.none(),
        empty_label=_("Todas"),
        to_field_name="key",
    )
    ente = forms.ModelChoiceField(
        label=_("Ente"),
        required=False,
        queryset=Entity.objects.none(),
        empty_label=_("Todos"),
        to_field_name="key",
    )

    def __init__(self, data=None, *, scoped, national: bool):
        super().__init__(data)
        methods = scoped.exclude(procurement_method="").values_list("procurement_method", flat=True)
        self.fields["procedimiento"].choices = [
            ("", _("Todos")),
            *[(m, m) for m in sorted(set(methods.distinct()))],
        ]
        # The ids first, then the rows: as one ``IN (subquery)`` PostgreSQL planned a semi-join
        # that took 0.6 s for an entity of 12,000 contracts (docs/benchmarks.md).
        self.fields["unidad"].queryset = PurchasingUnit.objects.filter(
            pk__in=_distinct(scoped.exclude(unit=None), "unit")
        ).order_by("key")
        if national:
            self.fields["ente"].queryset = Entity.objects.filter(
                pk__in=_distinct(scoped, "entity")
            ).order_by("key")
        else:
            del self.fields["ente"]

    def filter(self, contracts):
        """``contracts`` narrowed by the valid filters (all of them when the form is unbound)."""
        if not self.is_bound or not self.is_valid():
            return contracts
        data = self.cleaned_data
        if data.get("estado"):
            contracts = selectors.with_status(contracts, data["estado"])
        if data.get("grado"):
            contracts = contracts.filter(overdue_grade=data["grado"])
        if data.get("proveedor"):
            contracts = selectors.with_supplier(contracts, data["proveedor"])
        if data.get("categoria"):
            contracts = contracts.filter(category=data["categoria"])
        if data.get("procedimiento"):
            contracts = contracts.filter(procurement_method=data["procedimiento"])
        if data.get("unidad"):
            contracts = contracts.filter(unit=data["unidad"])
        if data.get("ente"):
            contracts = contracts.filter(entity=data["ente"])
        return contracts
