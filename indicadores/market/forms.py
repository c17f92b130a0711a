"""Forms of the market research screens (labels and errors in Spanish)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import Entity
from indicadores.market.models import Exclusion, MarketStudy

SEARCH_KEYS = (
    "clasificacion",
    "familia",
    "texto",
    "unidad",
    "anio",
    "estado",
    "cantidad_min",
    "cantidad_max",
    "inpc",
)


class SearchForm(forms.Form):
    clasificacion = forms.CharField(
        label=_("Clave CUCoP"), required=False, max_length=20, help_text=_("p. ej. 25300002")
    )
    familia = forms.CharField(
        label=_("Familia CUCoP"),
        required=False,
        max_length=3,
        help_text=_("Los 3 primeros dígitos (partida genérica), p. ej. 253"),
    )
    texto = forms.CharField(
        label=_("Texto"), required=False, max_length=200, help_text=_("Palabras de la descripción")
    )
    unidad = forms.CharField(label=_("Unidad de medida"), required=False, max_length=100)
    anio = forms.IntegerField(label=_("Año"), required=False, min_value=1900, max_value=2200)
    estado = forms.ChoiceField(
        label=_("Entidad federativa"),
        required=False,
        choices=[("", _("Todas"))] + list(Entity.State.choices),
    )
    cantidad_min = forms.DecimalField(
        label=_("Cantidad mínima"), required=False, min_value=0, max_digits=22, decimal_places=4
    )
    cantidad_max = forms.DecimalField(
        label=_("Cantidad máxima"), required=False, min_value=0, max_digits=22, decimal_places=4
    )
    inpc = forms.BooleanField(label=_("Ajustar por inflación (INPC)"), required=False)

    def clean(self):
        data = super().clean()
        if not any(data.get(key) for key in ("clasificacion", "familia", "texto")):
            raise forms.ValidationError(_("Escriba una clave CUCoP, una familia o un texto."))
        return data

    def as_search(self) -> dict:
        """The cleaned values as the JSON a study keeps (numbers as text, empty ones left out)."""
        data = self.cleaned_data
        return {
            key: str(data[key]) for key in SEARCH_KEYS if data.get(key) not in (None, "", False)
        }


class StudyForm(forms.ModelForm):
    class Meta:
        model = MarketStudy
        fields = ["title", "quantity", "method", "process"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the processes of the study's entity (none before it has one).
        entity_id = self.instance.entity_id if self.instance.pk else None
        field = self.fields["process"]
        field.queryset = field.queryset.filter(entity_id=entity_id).order_by("-pk")
        field.label_from_instance = lambda process: f"{process.ocid} · {process.title}"


class ExclusionForm(forms.ModelForm):
    class Meta:
        model = Exclusion
        fields = ["kind", "key", "label", "reason"]
        widgets = {
            "kind": forms.HiddenInput,
            "key": forms.HiddenInput,
            "label": forms.HiddenInput,
            "reason": forms.TextInput,
        }
