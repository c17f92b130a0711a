"""Forms of the alert screens: the queue's filters and the OIC's and the unit's actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import PurchasingUnit
from indicadores.models import AlertStatus
from indicadores.outcomes import Severity


class AlertFilterForm(forms.Form):
    """Filters of the OIC queue (every field optional; an empty one means «todos»)."""

    unit = forms.ModelChoiceField(
        label=_("Unidad compradora"),
        queryset=PurchasingUnit.objects.none(),
        required=False,
        empty_label=_("Todas"),
    )
    code = forms.ChoiceField(label=_("Indicador"), required=False)
    severity = forms.ChoiceField(
        label=_("Severidad"), choices=[("", _("Todas")), *Severity.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Estado"), choices=[("", _("Todos")), *AlertStatus.choices], required=False
    )
    supplier = forms.CharField(label=_("Proveedor (nombre o RFC)"), required=False, max_length=200)
    ocid = forms.CharField(label=_("ocid"), required=False, max_length=128)
    since = forms.DateField(
        label=_("Detectada desde"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Detectada hasta"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, units=None, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.key} · {unit.name}"[:60]
        self.fields["code"].choices = [("", _("Todos")), *((code, code) for code in codes)]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("La fecha «desde» es posterior a la fecha «hasta»."))
        return data


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nuevo estado"))
    text = forms.CharField(
        label=_("Justificación o nota"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoria para descartar o reabrir."),
    )
    reference_number = forms.CharField(
        label=_("Número de turno"),
        required=False,
        max_length=100,
        help_text=_("Obligatorio al turnar a la Unidad de Responsabilidades."),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(t, AlertStatus(t).label) for t in targets]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comentario"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Asignar a"), queryset=None, required=False, empty_label=_("Nadie")
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["assignee"].queryset = get_user_model().objects.filter(
            pk__in=[person.pk for person in people]
        )
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class ResponseRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Qué debe responder la unidad compradora"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(
        label=_("Plazo"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Respuesta"), widget=forms.Textarea(attrs={"rows": 5}))
