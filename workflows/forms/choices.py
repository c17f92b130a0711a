"""The field types of the stage forms (stages and procedure types: workflows.base.procedures)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldType(models.TextChoices):
    TEXT = "text", _("Texto corto")
    LONG_TEXT = "long_text", _("Texto largo")
    INTEGER = "integer", _("Número entero")
    DECIMAL = "decimal", _("Número decimal")
    MONEY = "money", _("Importe (monto y moneda)")
    DATE = "date", _("Fecha")
    DATETIME = "datetime", _("Fecha y hora")
    BOOLEAN = "boolean", _("Sí / No")
    CHOICE = "choice", _("Opción de una lista (codelist OCDS o catálogo)")
    RFC = "rfc", _("RFC")
    CURP = "curp", _("CURP")
    FILE = "file", _("Archivo / documento")
    FIXED = "fixed", _("Valor fijo (no se muestra)")
