"""Plain-language Spanish labels for OCDS codes, as a citizen reads them on the public pages.

The codes stay exactly as the standard spells them in the data and in URLs
(``?procedimiento=open``); only what a person reads is translated. An unknown code (an
extension's, or a typo in imported data) is shown as it is rather than hidden.
"""

from django.utils.translation import gettext_lazy as _

PROCUREMENT_METHOD = {
    "open": _("Licitación pública"),
    "selective": _("Invitación a cuando menos tres personas"),
    "limited": _("Adjudicación directa por excepción"),
    "direct": _("Adjudicación directa"),
}

MAIN_PROCUREMENT_CATEGORY = {
    "goods": _("Bienes"),
    "works": _("Obra pública"),
    "services": _("Servicios"),
}

TENDER_STATUS = {
    "planning": _("En planeación"),
    "planned": _("Planeado"),
    "active": _("En curso"),
    "cancelled": _("Cancelado"),
    "unsuccessful": _("Desierto"),
    "complete": _("Concluido"),
    "withdrawn": _("Retirado"),
}

AWARD_STATUS = {
    "pending": _("Pendiente"),
    "active": _("Vigente"),
    "cancelled": _("Cancelada"),
    "unsuccessful": _("No adjudicada"),
}

CONTRACT_STATUS = {
    "pending": _("Pendiente de firma"),
    "active": _("Vigente"),
    "cancelled": _("Cancelado"),
    "terminated": _("Terminado"),
}

RELEASE_TAG = {
    "planning": _("Planeación"),
    "planningUpdate": _("Actualización de la planeación"),
    "tender": _("Convocatoria"),
    "tenderAmendment": _("Modificación a la convocatoria"),
    "tenderUpdate": _("Actualización de la convocatoria"),
    "tenderCancellation": _("Cancelación del procedimiento"),
    "award": _("Adjudicación (fallo)"),
    "awardUpdate": _("Actualización de la adjudicación"),
    "awardCancellation": _("Cancelación de la adjudicación"),
    "contract": _("Contrato"),
    "contractUpdate": _("Actualización del contrato"),
    "contractAmendment": _("Convenio modificatorio"),
    "implementation": _("Ejecución"),
    "implementationUpdate": _("Actualización de la ejecución"),
    "contractTermination": _("Terminación del contrato"),
    "compiled": _("Registro compilado"),
}

MILESTONE_STATUS = {
    "scheduled": _("Programado"),
    "met": _("Cumplido"),
    "notMet": _("No cumplido"),
    "partiallyMet": _("Cumplido parcialmente"),
}

MILESTONE_TYPE = {
    "preProcurement": _("Previo a la contratación"),
    "approval": _("Aprobación"),
    "engagement": _("Participación"),
    "assessment": _("Evaluación"),
    "delivery": _("Entrega"),
    "reporting": _("Informe"),
    "financing": _("Financiamiento"),
    "payment": _("Pago"),
}

PARTY_ROLE = {
    "buyer": _("Comprador"),
    "procuringEntity": _("Unidad contratante"),
    "supplier": _("Proveedor"),
    "tenderer": _("Licitante"),
    "funder": _("Financiador"),
    "enquirer": _("Participante en aclaraciones"),
    "payer": _("Pagador"),
    "payee": _("Beneficiario del pago"),
    "reviewBody": _("Órgano de revisión"),
    "interestedParty": _("Parte interesada"),
}

DOCUMENT_TYPE = {
    "plannedProcurementNotice": _("Aviso de contratación planeada"),
    "tenderNotice": _("Convocatoria"),
    "awardNotice": _("Aviso de adjudicación (fallo)"),
    "contractNotice": _("Aviso de contrato"),
    "completionCertificate": _("Acta de conclusión"),
    "procurementPlan": _("Programa anual de adquisiciones"),
    "biddingDocuments": _("Bases o documentos de la licitación"),
    "technicalSpecifications": _("Especificaciones técnicas"),
    "evaluationCriteria": _("Criterios de evaluación"),
    "evaluationReports": _("Dictamen de evaluación"),
    "contractDraft": _("Proyecto de contrato"),
    "contractSigned": _("Contrato firmado"),
    "contractArrangements": _("Condiciones del contrato"),
    "contractSchedule": _("Anexos y calendario del contrato"),
    "physicalProgressReport": _("Informe de avance físico"),
    "financialProgressReport": _("Informe de avance financiero"),
    "finalAudit": _("Auditoría final"),
    "hearingNotice": _("Aviso de audiencia pública"),
    "marketStudies": _("Investigación de mercado"),
    "eligibilityCriteria": _("Criterios de elegibilidad"),
    "clarifications": _("Junta de aclaraciones"),
    "shortlistedFirms": _("Empresas preseleccionadas"),
    "environmentalImpact": _("Impacto ambiental"),
    "assetAndLiabilityAssessment": _("Evaluación de activos y pasivos"),
    "riskProvisions": _("Previsiones de riesgo"),
    "winningBid": _("Propuesta ganadora"),
    "complaints": _("Inconformidades"),
    "contractAnnexe": _("Anexo del contrato"),
    "contractGuarantees": _("Garantías del contrato"),
    "subContract": _("Subcontrato"),
    "needsAssessment": _("Justificación de la necesidad"),
    "feasibilityStudy": _("Estudio de factibilidad"),
    "projectPlan": _("Plan del proyecto"),
    "billOfQuantity": _("Catálogo de conceptos"),
    "bidders": _("Información de licitantes"),
    "conflictOfInterest": _("Manifiesto de conflicto de interés"),
    "debarments": _("Inhabilitaciones"),
    "illustration": _("Ilustración"),
    "submissionDocuments": _("Documentos de la propuesta"),
    "contractSummary": _("Resumen del contrato"),
    "cancellationDetails": _("Motivos de la cancelación"),
}

_CODELISTS = {
    "procurementMethod": PROCUREMENT_METHOD,
    "mainProcurementCategory": MAIN_PROCUREMENT_CATEGORY,
    "tenderStatus": TENDER_STATUS,
    "awardStatus": AWARD_STATUS,
    "contractStatus": CONTRACT_STATUS,
    "releaseTag": RELEASE_TAG,
    "milestoneStatus": MILESTONE_STATUS,
    "milestoneType": MILESTONE_TYPE,
    "partyRole": PARTY_ROLE,
    "documentType": DOCUMENT_TYPE,
}


def label(codelist: str, code) -> str:
    """The Spanish label of ``code`` in ``codelist`` (an OCDS codelist name), or the code itself."""
    if not code:
        return ""
    return str(_CODELISTS[codelist].get(code, code))


def choices(codelist: str) -> list[tuple[str, str]]:
    """(code, label) pairs of a codelist, for a filter's <select>."""
    return [(code, str(text)) for code, text in _CODELISTS[codelist].items()]
