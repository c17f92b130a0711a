"""Stage form definitions (versioned), the drafts filled with them and the catalogues they use.

A :class:`FormDefinition` is what editors edit in Wagtail (draft, preview, publish). Publishing it
freezes its fields as an immutable :class:`FormVersion`; a :class:`StageDraft` keeps the version it
was filled with, so a later change of the definition never alters a capture in progress.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin

from cms.models import Entity, PurchasingUnit
from ocds_pages.codelists import codes
from workflows.base.procedures import (
    ALL_PROCEDURES,
    FORM_PROCEDURE_CHOICES,
    FORM_STAGE_CHOICES,
    ProcedureType,
)
from workflows.forms.blocks import FormFieldsBlock


class FormDefinition(PreviewableMixin, DraftStateMixin, RevisionMixin, models.Model):
    """The form of one stage for one procedure type (empty: every one), national or per entity."""

    title = models.CharField(
        _("título"), max_length=200, help_text=_("Nombre del formulario que ve el personal.")
    )
    stage = models.CharField(
        _("etapa"),
        max_length=32,
        choices=FORM_STAGE_CHOICES,
        help_text=_("Etapa o evento del proceso que se captura con este formulario."),
    )
    procedure_type = models.CharField(
        _("tipo de procedimiento"),
        max_length=32,
        choices=FORM_PROCEDURE_CHOICES,
        default=ALL_PROCEDURES,
        blank=True,
        help_text=_("Procedimiento al que aplica; «todos» si no hay uno más específico."),
    )
    entity = models.ForeignKey(
        Entity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="form_definitions",
        verbose_name=_("ente público"),
        help_text=_("Vacío: formulario general. Con un ente: lo sustituye sólo para ese ente."),
    )
    fields = StreamField(
        FormFieldsBlock(),
        blank=True,
        verbose_name=_("campos"),
        help_text=_("Campos y grupos repetibles del formulario, en el orden en que se muestran."),
    )
    updated_at = models.DateTimeField(
        _("modificado"), auto_now=True, help_text=_("Última vez que se guardó.")
    )

    class Meta:
        verbose_name = _("formulario de etapa")
        verbose_name_plural = _("formularios de etapa")
        ordering = ["entity__name", "stage", "procedure_type"]
        # Two partial constraints (national forms have no entity) instead of
        # nulls_distinct=False, which SQLite does not enforce.
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "procedure_type", "entity"],
                condition=models.Q(entity__isnull=False),
                name="form_definition_unique_entity_scope",
            ),
            models.UniqueConstraint(
                fields=["stage", "procedure_type"],
                condition=models.Q(entity__isnull=True),
                name="form_definition_unique_national_scope",
            ),
        ]

    def __str__(self):
        return self.title

    def get_preview_template(self, request, mode_name):
        return "workflows/form_definition_preview.html"

    def latest_version(self):
        return self.versions.order_by("-number").first()

    def published_version(self):
        version = self.latest_version()
        return version.number if version else "—"

    published_version.short_description = _("Versión publicada")


class FormVersion(models.Model):
    """A published definition, frozen: its field spec never changes and the row is never deleted."""

    definition = models.ForeignKey(
        FormDefinition,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("formulario"),
        help_text=_("Definición de la que es versión."),
    )
    number = models.PositiveIntegerField(
        _("versión"), help_text=_("1, 2, 3… en el orden en que se publicaron.")
    )
    stage = models.CharField(
        _("etapa"),
        max_length=32,
        choices=FORM_STAGE_CHOICES,
        help_text=_("Etapa, copiada al publicar."),
    )
    procedure_type = models.CharField(
        _("tipo de procedimiento"),
        max_length=32,
        choices=FORM_PROCEDURE_CHOICES,
        blank=True,
        help_text=_("Procedimiento, copiado al publicar (vacío: todos)."),
    )
    title = models.CharField(_("título"), max_length=200, help_text=_("Título al publicar."))
    spec = models.JSONField(
        _("especificación"),
        help_text=_("Campos congelados al publicar (lo que el motor de formularios interpreta)."),
    )
    published_at = models.DateTimeField(
        _("publicada"), auto_now_add=True, help_text=_("Fecha de publicación.")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicada por"),
        help_text=_("Quién la publicó (vacío: la instalación)."),
    )

    class Meta:
        verbose_name = _("versión de formulario")
        verbose_name_plural = _("versiones de formulario")
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="form_version_unique")
        ]

    def __str__(self):
        return _("%(title)s · versión %(number)s") % {"title": self.title, "number": self.number}

    def save(self, *args, **kwargs):
        # Drafts point at versions: changing one would silently change what they were filled with.
        if self.pk is not None and FormVersion.objects.filter(pk=self.pk).exists():
            raise ValidationError(_("Una versión publicada no se puede modificar."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Una versión publicada no se puede borrar."))


class StageDraft(models.Model):
    """The data of one stage while it is captured: saved as typed, valid or not."""

    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="stage_drafts",
        verbose_name=_("ente público"),
        help_text=_("Ente dueño del borrador (sólo su personal lo ve)."),
    )
    unit = models.ForeignKey(
        PurchasingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_drafts",
        verbose_name=_("unidad compradora"),
        help_text=_("Unidad que captura, si se conoce."),
    )
    version = models.ForeignKey(
        FormVersion,
        on_delete=models.PROTECT,
        related_name="drafts",
        verbose_name=_("versión del formulario"),
        help_text=_("Versión con la que se llena; sólo cambia si el personal la migra."),
    )
    procedure_type = models.CharField(
        _("tipo de procedimiento"),
        max_length=32,
        choices=ProcedureType.choices,
        help_text=_("Procedimiento del proceso (decide qué campos condicionales se muestran)."),
    )
    ocid = models.CharField(
        _("ocid"), max_length=100, blank=True, help_text=_("ocid del proceso, si ya tiene.")
    )
    values = models.JSONField(
        _("valores"),
        default=dict,
        blank=True,
        help_text=_("Lo capturado, por clave de campo, tal como se escribió."),
    )
    is_valid = models.BooleanField(
        _("válido"),
        default=False,
        help_text=_("Si pasó la validación la última vez que se guardó."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("creado por"),
        help_text=_("Quién inició la captura."),
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, help_text=_("Alta."))
    updated_at = models.DateTimeField(
        _("modificado"), auto_now=True, help_text=_("Último guardado.")
    )

    class Meta:
        verbose_name = _("borrador de etapa")
        verbose_name_plural = _("borradores de etapa")
        ordering = ["-updated_at"]

    def __str__(self):
        return _("Borrador %(pk)s · %(form)s") % {"pk": self.pk, "form": self.version}


class DraftFile(models.Model):
    """A file uploaded through a file field of a stage form (stored under ``borradores/``).

    Private until the stage that carries it is approved: ``workflows.processes.media.media_file``
    serves it only to staff of its entity before, and to anyone once ``published_in`` is set.
    """

    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        related_name="draft_files",
        verbose_name=_("ente público"),
        help_text=_("Ente cuyo personal puede ver el archivo mientras no se publica."),
    )
    draft = models.ForeignKey(
        StageDraft,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("borrador de etapa"),
        help_text=_("Borrador en cuyo formulario se subió."),
    )
    path = models.CharField(
        _("ruta"),
        max_length=500,
        unique=True,
        help_text=_("Nombre en el almacenamiento: borradores/<ente>/<sha256>/<nombre>."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Huella del archivo."))
    content_type = models.CharField(
        _("formato"), max_length=100, help_text=_("Tipo MIME comprobado por su contenido.")
    )
    published_in = models.CharField(
        _("publicado en"),
        max_length=255,
        blank=True,
        help_text=_("id de la primera entrega OCDS que lo publicó; vacío si no es público."),
    )
    uploaded_at = models.DateTimeField(
        _("subido"), auto_now_add=True, help_text=_("Cuándo se subió.")
    )

    class Meta:
        verbose_name = _("archivo de un borrador")
        verbose_name_plural = _("archivos de borradores")

    def __str__(self):
        return self.path


# --- Catalogues ---


class CucopItem(models.Model):
    """An entry of the CUCoP (Clasificador Único de las Contrataciones Públicas)."""

    code = models.CharField(
        _("clave CUCoP"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^\d{5,10}$", _("La clave CUCoP tiene de 5 a 10 dígitos."))],
        help_text=_("Clave del artículo, p. ej. 25300002."),
    )
    description = models.CharField(
        _("descripción"), max_length=400, help_text=_("Descripción oficial del artículo.")
    )
    expense_item = models.CharField(
        _("partida específica"),
        max_length=5,
        blank=True,
        help_text=_("Partida del clasificador por objeto del gasto (5 dígitos), p. ej. 25301."),
    )
    active = models.BooleanField(
        _("vigente"), default=True, help_text=_("Una clave no vigente no se ofrece en la captura.")
    )

    class Meta:
        verbose_name = _("clave CUCoP")
        verbose_name_plural = _("catálogo CUCoP")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} · {self.description}"


class UnitOfMeasure(models.Model):
    """A unit of measure (UN/CEFACT Recommendation 20 code, as OCDS unit.scheme UNCEFACT)."""

    code = models.CharField(
        _("clave UN/CEFACT"),
        max_length=3,
        unique=True,
        help_text=_("Clave de la Recomendación 20 de UN/CEFACT, p. ej. H87 (pieza)."),
    )
    name = models.CharField(_("nombre"), max_length=100, help_text=_("Nombre en español."))
    active = models.BooleanField(
        _("vigente"), default=True, help_text=_("Una unidad no vigente no se ofrece en la captura.")
    )

    class Meta:
        verbose_name = _("unidad de medida")
        verbose_name_plural = _("unidades de medida")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


def roman(number: int) -> str:
    """``number`` (1–399) in Roman numerals, as the law numbers its fractions."""
    numerals = []
    for value, numeral in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX")):
        count, number = divmod(number, value)
        numerals.append(numeral * count)
    for value, numeral in ((5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        numerals.append(numeral * count)
    return "".join(numerals)


class LegalJustificationQuerySet(models.QuerySet):
    def in_legal_order(self):
        """By law, article and fraction as the law reads: V before IX, 41 before 100.

        Fractions are Roman numerals stored as text, so ordering by the column put IX before V.
        """
        fraction = models.Case(
            *[models.When(fraction=roman(n), then=models.Value(n)) for n in range(1, 100)],
            default=models.Value(0),
        )
        return self.order_by("law", Length("article"), "article", fraction, "code")


class LegalJustification(models.Model):
    """A legal ground for awarding directly (LAASSP art. 41/42, LOPSRM art. 42/43)."""

    class Law(models.TextChoices):
        LAASSP = "LAASSP", _("LAASSP (adquisiciones, arrendamientos y servicios)")
        LOPSRM = "LOPSRM", _("LOPSRM (obras públicas y servicios relacionados)")

    code = models.CharField(
        _("clave"),
        max_length=30,
        unique=True,
        help_text=_("Clave estable, p. ej. LAASSP-41-III."),
    )
    law = models.CharField(_("ley"), max_length=10, choices=Law.choices, help_text=_("Ley."))
    article = models.CharField(_("artículo"), max_length=10, help_text=_("Artículo, p. ej. 41."))
    fraction = models.CharField(
        _("fracción"), max_length=10, blank=True, help_text=_("Fracción en romanos, p. ej. III.")
    )
    summary = models.CharField(
        _("supuesto"), max_length=400, help_text=_("Resumen del supuesto que permite la excepción.")
    )
    active = models.BooleanField(
        _("vigente"), default=True, help_text=_("Un fundamento no vigente no se ofrece.")
    )

    objects = LegalJustificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("fundamento de adjudicación directa")
        verbose_name_plural = _("fundamentos de adjudicación directa")
        ordering = ["law", "code"]

    def __str__(self):
        return f"{self.citation()}: {self.summary}"

    def citation(self):
        if self.fraction:
            return _("%(law)s art. %(article)s fr. %(fraction)s") % {
                "law": self.law,
                "article": self.article,
                "fraction": self.fraction,
            }
        return _("%(law)s art. %(article)s") % {"law": self.law, "article": self.article}


class DocumentType(models.Model):
    """A kind of document staff attach, with the OCDS documentType code it is published as."""

    name = models.CharField(
        _("nombre"),
        max_length=200,
        unique=True,
        help_text=_("Nombre en español, p. ej. Convocatoria."),
    )
    ocds_code = models.CharField(
        _("documentType OCDS"),
        max_length=50,
        help_text=_("Código de la codelist documentType de OCDS con que se publica."),
    )
    active = models.BooleanField(
        _("vigente"), default=True, help_text=_("Un tipo no vigente no se ofrece.")
    )

    class Meta:
        verbose_name = _("tipo de documento")
        verbose_name_plural = _("tipos de documento")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.ocds_code not in codes("documentType"):
            raise ValidationError(
                {
                    "ocds_code": _("«%(code)s» no está en la codelist documentType de OCDS.")
                    % {"code": self.ocds_code}
                }
            )
