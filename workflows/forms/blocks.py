"""StreamField blocks with which editors build a stage form: fields and repeating groups.

Everything here is data (docs/arquitectura.md, decision 6): the blocks only describe a field; the
form engine (``workflows.forms.forms_engine``) turns the frozen description into a Django form and
into OCDS.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ocds_pages.codelists import spanish_choices
from workflows.base.procedures import ProcedureType
from workflows.forms.choices import FieldType

CATALOGUES = {
    "cucop": _("Catálogo: CUCoP (clasificación de bienes y servicios)"),
    "units": _("Catálogo: unidades de medida"),
    "justifications": _("Catálogo: fundamentos de adjudicación directa"),
    "document_types": _("Catálogo: tipos de documento"),
}
# OCDS codelists editors may use as choices (the closed and open ones bundled with OCDS 1.1.5).
CODELISTS = (
    "awardCriteria",
    "awardStatus",
    "contractStatus",
    "currency",
    "documentType",
    "extendedProcurementCategory",
    "milestoneStatus",
    "milestoneType",
    "partyRole",
    "procurementCategory",
    "relatedProcess",
    "submissionMethod",
    "tenderStatus",
)

key_validator = RegexValidator(
    r"^[a-z][a-zA-Z0-9_]{0,49}$",
    _("Use letras sin acentos, números y guion bajo; empiece con minúscula (p. ej. montoMaximo)."),
)


def choice_sources():
    """Where a choice field takes its options from: ``codelist:<name>`` or ``catalogue:<name>``."""
    sources = [
        (f"codelist:{name}", _("Codelist OCDS: %(name)s") % {"name": name}) for name in CODELISTS
    ]
    sources += [(f"catalogue:{name}", label) for name, label in CATALOGUES.items()]
    return sources


def document_type_codes():
    return sorted(spanish_choices("documentType"), key=lambda option: option[1])


def procedure_type_choices():
    return ProcedureType.choices


def _common_blocks():
    return [
        (
            "key",
            blocks.CharBlock(
                label=_("Clave interna"),
                max_length=50,
                validators=[key_validator],
                help_text=_("Nombre corto y único del campo en el formulario, p. ej. titulo."),
            ),
        ),
        ("label", blocks.CharBlock(label=_("Etiqueta"), max_length=200)),
        (
            "help_text",
            blocks.TextBlock(label=_("Texto de ayuda"), required=False, max_length=600),
        ),
        (
            "ocds_path",
            blocks.CharBlock(
                label=_("Ruta OCDS"),
                max_length=200,
                help_text=_(
                    "Dónde escribe el valor en la entrega, p. ej. tender/title o "
                    "awards/0/value. En un grupo, relativa a cada fila (p. ej. quantity)."
                ),
            ),
        ),
        (
            "visible_for",
            blocks.MultipleChoiceBlock(
                label=_("Mostrar sólo en"),
                choices=procedure_type_choices,
                required=False,
                help_text=_("Vacío: en todos los procedimientos."),
            ),
        ),
    ]


class FieldBlock(blocks.StructBlock):
    """One field: its type, Spanish label and help, validation and the OCDS path it writes."""

    def __init__(self, local_blocks=None, **kwargs):
        local_blocks = [
            *_common_blocks(),
            ("field_type", blocks.ChoiceBlock(label=_("Tipo"), choices=FieldType.choices)),
            (
                "custom",
                blocks.BooleanBlock(
                    label=_("Campo propio (extensión del proyecto)"),
                    required=False,
                    help_text=_(
                        "Márquelo si la ruta no existe en OCDS ni en EDCA-MX: el campo se "
                        "declara en la extensión propia de Compra Íntegra."
                    ),
                ),
            ),
            ("required", blocks.BooleanBlock(label=_("Obligatorio"), required=False)),
            (
                "choices",
                blocks.ChoiceBlock(
                    label=_("Opciones de"),
                    choices=choice_sources,
                    required=False,
                    help_text=_("Sólo para el tipo «Opción de una lista»."),
                ),
            ),
            (
                "document_type",
                blocks.ChoiceBlock(
                    label=_("Tipo de documento OCDS"),
                    choices=document_type_codes,
                    required=False,
                    help_text=_("Sólo para archivos: documentType del documento que se publica."),
                ),
            ),
            ("min_value", blocks.DecimalBlock(label=_("Valor mínimo"), required=False)),
            ("max_value", blocks.DecimalBlock(label=_("Valor máximo"), required=False)),
            (
                "min_length",
                blocks.IntegerBlock(label=_("Longitud mínima"), required=False, min_value=0),
            ),
            (
                "max_length",
                blocks.IntegerBlock(label=_("Longitud máxima"), required=False, min_value=1),
            ),
            (
                "pattern",
                blocks.CharBlock(
                    label=_("Patrón (expresión regular)"),
                    required=False,
                    max_length=200,
                    help_text=_("Opcional, p. ej. ^[0-9]{8}$ para ocho dígitos."),
                ),
            ),
            (
                "default",
                blocks.CharBlock(
                    label=_("Valor predeterminado"),
                    required=False,
                    max_length=200,
                    help_text=_("Para «Valor fijo», el valor que siempre se escribe."),
                ),
            ),
        ]
        super().__init__(local_blocks, **kwargs)

    class Meta:
        icon = "form"
        label = _("Campo")
        form_classname = "struct-block compra-field-block"


class GroupBlock(blocks.StructBlock):
    """A repeating group (items, tenderers, milestones, payments…): one array in OCDS."""

    def __init__(self, local_blocks=None, **kwargs):
        local_blocks = [
            *_common_blocks(),
            (
                "party_role",
                blocks.ChoiceBlock(
                    label=_("Cada fila es una organización con el rol"),
                    choices=[
                        ("supplier", "supplier"),
                        ("tenderer", "tenderer"),
                        ("payer", "payer"),
                        ("payee", "payee"),
                    ],
                    required=False,
                    help_text=_(
                        "Para proveedores y licitantes: cada fila se agrega a parties con este "
                        "rol y en la ruta queda la referencia (id y nombre)."
                    ),
                ),
            ),
            (
                "min_rows",
                blocks.IntegerBlock(label=_("Filas mínimas"), required=False, min_value=0),
            ),
            (
                "max_rows",
                blocks.IntegerBlock(label=_("Filas máximas"), required=False, min_value=1),
            ),
            ("fields", blocks.ListBlock(FieldBlock(), label=_("Campos de cada fila"))),
        ]
        super().__init__(local_blocks, **kwargs)

    class Meta:
        icon = "list-ul"
        label = _("Grupo repetible")


class FormFieldsBlock(blocks.StreamBlock):
    field = FieldBlock()
    group = GroupBlock()
