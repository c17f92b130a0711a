"""The vocabularies of the capture side: stages, procedure types and form field types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """A stage or later event of a contracting process; the value is the OCDS release tag."""

    PLANNING = "planning", _("Planeación")
    TENDER = "tender", _("Licitación / convocatoria")
    TENDER_UPDATE = "tenderUpdate", _("Junta de aclaraciones (actualización de la licitación)")
    TENDER_AMENDMENT = "tenderAmendment", _("Modificación de la convocatoria")
    TENDER_CANCELLATION = "tenderCancellation", _("Cancelación del procedimiento")
    AWARD = "award", _("Adjudicación (fallo)")
    AWARD_CANCELLATION = "awardCancellation", _("Cancelación de la adjudicación")
    CONTRACT = "contract", _("Contrato")
    CONTRACT_AMENDMENT = "contractAmendment", _("Convenio modificatorio")
    CONTRACT_TERMINATION = "contractTermination", _("Terminación del contrato")
    IMPLEMENTATION = "implementation", _("Ejecución")
    IMPLEMENTATION_UPDATE = "implementationUpdate", _("Actualización de la ejecución")


class ProcedureType(models.TextChoices):
    """Procedure types of LAASSP/LOPSRM, by their OCDS ``procurementMethod``."""

    ALL = "all", _("Todos los procedimientos")
    OPEN = "open", _("Licitación pública (open)")
    SELECTIVE = "selective", _("Invitación a cuando menos tres personas (selective)")
    DIRECT = "direct", _("Adjudicación directa (direct)")


PROCEDURE_TYPES = [ProcedureType.OPEN, ProcedureType.SELECTIVE, ProcedureType.DIRECT]


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
