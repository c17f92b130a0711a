"""Mexican procurement procedures (LAASSP / LOPSRM) and the stages and events each one goes through.

What OCDS calls each procedure, which release tag each workflow event publishes
(docs/ocds.md §1, «Qué etiqueta lleva cada etapa»), and which stage may start after which.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureType(models.TextChoices):
    LP_NATIONAL = "lp_nacional", _("Licitación pública nacional")
    LP_INTERNATIONAL = "lp_internacional", _("Licitación pública internacional abierta")
    LP_TREATIES = "lp_tratados", _("Licitación pública internacional bajo la cobertura de tratados")
    INV3 = "invitacion3", _("Invitación a cuando menos tres personas")
    DIRECT = "adjudicacion_directa", _("Adjudicación directa")


# OCDS procurementMethod (closed codelist method.csv) of each procedure.
PROCUREMENT_METHOD = {
    ProcedureType.LP_NATIONAL: "open",
    ProcedureType.LP_INTERNATIONAL: "open",
    ProcedureType.LP_TREATIES: "open",
    ProcedureType.INV3: "selective",
    ProcedureType.DIRECT: "direct",
}

# Minimum calendar days between the convocatoria and the opening of proposals (LAASSP art. 32).
TENDER_PERIOD_MINIMUM_DAYS = {
    ProcedureType.LP_NATIONAL: 15,
    ProcedureType.LP_INTERNATIONAL: 20,
    ProcedureType.LP_TREATIES: 40,
}

PUBLIC_TENDERS = set(TENDER_PERIOD_MINIMUM_DAYS)
COMPETITIVE = PUBLIC_TENDERS | {ProcedureType.INV3}


class Stage(models.TextChoices):
    PLANNING = "planning", _("Planeación")
    TENDER = "tender", _("Convocatoria / procedimiento")
    AWARD = "award", _("Fallo / adjudicación")
    CONTRACT = "contract", _("Contrato")
    IMPLEMENTATION = "implementation", _("Ejecución")
    CLARIFICATION_MEETING = "clarificationMeeting", _("Junta de aclaraciones")
    TENDER_AMENDMENT = "tenderAmendment", _("Modificación a la convocatoria")
    TENDER_CANCELLATION = "tenderCancellation", _("Cancelación del procedimiento")
    TENDER_UNSUCCESSFUL = "tenderUnsuccessful", _("Procedimiento desierto")
    AWARD_CANCELLATION = "awardCancellation", _("Cancelación de la adjudicación")
    CONTRACT_AMENDMENT = "contractAmendment", _("Convenio modificatorio")
    CONTRACT_TERMINATION = "contractTermination", _("Terminación del contrato")
    IMPLEMENTATION_UPDATE = "implementationUpdate", _("Avance de ejecución (hitos y pagos)")


MAIN_STAGES = [Stage.PLANNING, Stage.TENDER, Stage.AWARD, Stage.CONTRACT, Stage.IMPLEMENTATION]

# The releaseTag each approved stage publishes.
RELEASE_TAG = {
    Stage.PLANNING: "planning",
    Stage.TENDER: "tender",
    Stage.AWARD: "award",
    Stage.CONTRACT: "contract",
    Stage.IMPLEMENTATION: "implementation",
    # A junta de aclaraciones updates the tender with its meeting (EDCA-MX clarificationMeetings).
    Stage.CLARIFICATION_MEETING: "tenderUpdate",
    Stage.TENDER_AMENDMENT: "tenderAmendment",
    Stage.TENDER_CANCELLATION: "tenderCancellation",
    # A desierta is an update of the tender's status to "unsuccessful".
    Stage.TENDER_UNSUCCESSFUL: "tenderUpdate",
    Stage.AWARD_CANCELLATION: "awardCancellation",
    Stage.CONTRACT_AMENDMENT: "contractAmendment",
    Stage.CONTRACT_TERMINATION: "contractTermination",
    Stage.IMPLEMENTATION_UPDATE: "implementationUpdate",
}

# Which published stages a stage needs before it may start, and which ones close the way to it.
REQUIRES = {
    Stage.PLANNING: set(),
    Stage.TENDER: {Stage.PLANNING},
    Stage.AWARD: {Stage.TENDER},
    Stage.CONTRACT: {Stage.AWARD},
    Stage.IMPLEMENTATION: {Stage.CONTRACT},
    Stage.CLARIFICATION_MEETING: {Stage.TENDER},
    Stage.TENDER_AMENDMENT: {Stage.TENDER},
    Stage.TENDER_CANCELLATION: {Stage.TENDER},
    Stage.TENDER_UNSUCCESSFUL: {Stage.TENDER},
    Stage.AWARD_CANCELLATION: {Stage.AWARD},
    Stage.CONTRACT_AMENDMENT: {Stage.CONTRACT},
    Stage.CONTRACT_TERMINATION: {Stage.CONTRACT},
    Stage.IMPLEMENTATION_UPDATE: {Stage.IMPLEMENTATION},
}
BLOCKED_BY = {
    Stage.CLARIFICATION_MEETING: {Stage.AWARD},
    Stage.TENDER_AMENDMENT: {Stage.AWARD},
    Stage.TENDER_CANCELLATION: {Stage.AWARD},
    Stage.TENDER_UNSUCCESSFUL: {Stage.AWARD},
    Stage.AWARD_CANCELLATION: {Stage.CONTRACT},
}
# Stages that happen at most once per process; the events not listed may repeat.
ONCE = set(MAIN_STAGES) | {
    Stage.TENDER_CANCELLATION,
    Stage.TENDER_UNSUCCESSFUL,
    Stage.AWARD_CANCELLATION,
    Stage.CONTRACT_TERMINATION,
}
# Stages only some procedures go through (LAASSP arts. 33 and 43: juntas de aclaraciones belong to
# the licitación and to the invitación that follows its rules; a direct award has none).
ONLY_FOR = {Stage.CLARIFICATION_MEETING: COMPETITIVE}
# Approving these ends the procedure: nothing else may start afterwards.
CLOSING = {
    Stage.TENDER_CANCELLATION,
    Stage.TENDER_UNSUCCESSFUL,
    Stage.AWARD_CANCELLATION,
    Stage.CONTRACT_TERMINATION,
}


def procurement_method(procedure_type: str) -> str:
    return PROCUREMENT_METHOD[ProcedureType(procedure_type)]


def can_start(
    stage: str, *, published: set[str], running: set[str], closed: bool, procedure_type=None
) -> bool:
    """Whether ``stage`` may start now, given the stages already published and still running."""
    stage = Stage(stage)
    if closed or stage in running:
        return False
    allowed = ONLY_FOR.get(stage)
    if allowed is not None and procedure_type is not None and procedure_type not in allowed:
        return False
    if stage in ONCE and stage in published:
        return False
    return REQUIRES[stage] <= published and not (BLOCKED_BY.get(stage, set()) & published)
