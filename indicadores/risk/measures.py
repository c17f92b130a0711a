"""What the risk index is made of: its components, their measures and the data-quality checks.

Declared as data, once: the computation (``tally.py``, ``score.py``), the dashboards, the public
pages, the API and docs/indicadores.md §7 all read these lists. Every measure is a share in risk
direction (0 = no risk seen, 1 = the most), computed only over the processes where it is
computable (its *eligible* processes); a measure with no eligible process is left out of its
component instead of counting as «clean».
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COMPETITION = "competition"
TRANSPARENCY = "transparency"
LEGALITY = "legality"
INTEGRITY = "integrity"

COMPONENT_NAMES = {
    COMPETITION: _("Competencia"),
    TRANSPARENCY: _("Transparencia"),
    LEGALITY: _("Legalidad"),
    INTEGRITY: _("Integridad"),
}
COMPONENTS = tuple(COMPONENT_NAMES)

# Procurement methods that are not a competition (OCDS method codelist).
NOT_COMPETITIVE = frozenset({"direct", "limited"})


@dataclass(frozen=True)
class Measure:
    """One share inside a component.

    ``code`` names the indicator whose flagged ÷ eligible processes it is; measures without a code
    are computed from the published record itself (``tally.py`` says how).
    """

    key: str
    component: str
    name: str | Promise
    formula: str | Promise
    source: str
    code: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure(
        "direct_count",
        COMPETITION,
        _("Adjudicaciones directas (número)"),
        _("procesos por adjudicación directa ÷ procesos con procedimiento conocido"),
        "IMCO IRC («competencia»); OCP R036",
    ),
    Measure(
        "direct_amount",
        COMPETITION,
        _("Adjudicaciones directas (monto)"),
        _(
            "monto de los procesos por adjudicación directa ÷ monto de los procesos con "
            "procedimiento y monto en pesos"
        ),
        "IMCO IRC; opentender «administrative»",
    ),
    Measure(
        "single_bid",
        COMPETITION,
        _("Una sola propuesta"),
        _(
            "procesos competitivos con una sola propuesta (R018) ÷ procesos competitivos "
            "adjudicados con número de licitantes"
        ),
        "OCP R018; DIGIWHIST INTEGRITY_SINGLE_BID",
        code="R018",
    ),
    Measure(
        "few_bidders",
        COMPETITION,
        _("Pocos licitantes"),
        _(
            "1 ÷ promedio de licitantes de los procesos competitivos adjudicados (1 licitante = 1; "
            "4 licitantes = 0.25)"
        ),
        "IMCO IRC («número promedio de participantes»)",
    ),
    Measure(
        "documents",
        TRANSPARENCY,
        _("Documentos clave sin publicar"),
        _(
            "procesos señalados por MX-DOCS ÷ procesos que alcanzaron una etapa que exige "
            "documentos"
        ),
        "IMCO IRC («transparencia»); OCP R063",
        code="MX-DOCS",
    ),
    Measure(
        "late_publication",
        TRANSPARENCY,
        _("Publicación tardía"),
        _("procesos señalados por MX-LATEPUB ÷ procesos con contrato e inicio del periodo"),
        "IMCO 2021; ProZorro RISK-1-6",
        code="MX-LATEPUB",
    ),
    Measure(
        "missing_data",
        TRANSPARENCY,
        _("Datos sin publicar"),
        _(
            "resultados «no calculable» ÷ resultados de los indicadores que aplican a cada "
            "proceso: lo que falta publicar para poder juzgarlo"
        ),
        "opentender INSUFFICIENT_DATA; OCP (cobertura de datos)",
    ),
    Measure(
        "admax",
        LEGALITY,
        _("Arriba del monto máximo"),
        _("procesos señalados por MX-ADMAX ÷ adjudicaciones directas e invitaciones con monto"),
        "LAASSP art. 55 y PEF; IMCO",
        code="MX-ADMAX",
    ),
    Measure(
        "splitting",
        LEGALITY,
        _("Fraccionamiento"),
        _("procesos señalados por MX-FRAC ÷ adjudicaciones directas con proveedor"),
        "OCP R011; LAASSP art. 17",
        code="MX-FRAC",
    ),
    Measure(
        "short_period",
        LEGALITY,
        _("Periodo corto de propuestas"),
        _("procesos señalados por R003 ÷ procedimientos con periodo de propuestas"),
        "OCP R003; LAASSP art. 32",
        code="R003",
    ),
    Measure(
        "amendments",
        LEGALITY,
        _("Convenios de más del 20 %"),
        _("procesos señalados por MX-AMEND ÷ procesos con contratos modificados"),
        "LAASSP art. 52; OCP R059",
        code="MX-AMEND",
    ),
    Measure(
        "sanctioned",
        INTEGRITY,
        _("Proveedores sancionados"),
        _("procesos señalados por MX-SANC ÷ procesos con proveedores o licitantes"),
        "OCP R046; IMCO",
        code="MX-SANC",
    ),
    Measure(
        "efos",
        INTEGRITY,
        _("Proveedores en la lista 69-B"),
        _("procesos señalados por MX-EFOS ÷ procesos adjudicados"),
        "CFF art. 69-B; IMCO",
        code="MX-EFOS",
    ),
    Measure(
        "conflict",
        INTEGRITY,
        _("Conflicto de interés"),
        _("procesos señalados por MX-CONFLICT ÷ procesos adjudicados"),
        "OCP R043; LGRA art. 58",
        code="MX-CONFLICT",
    ),
    Measure(
        "sanctioned_servant",
        INTEGRITY,
        _("Servidores sancionados que intervinieron"),
        _("procesos señalados por MX-SERV-SANC ÷ procesos con servidores registrados en S2"),
        "LGRA art. 52; PDN S2 y S3",
        code="MX-SERV-SANC",
    ),
    Measure(
        "new_company",
        INTEGRITY,
        _("Empresas de reciente creación"),
        _("procesos señalados por MX-NEWCO ÷ procesos adjudicados a personas morales"),
        "IMCO IRC; DIGIWHIST INTEGRITY_NEW_COMPANY",
        code="MX-NEWCO",
    ),
)

MEASURES_BY_KEY = {measure.key: measure for measure in MEASURES}


@dataclass(frozen=True)
class QualityCheck:
    """One data-quality check in the style of OCP's pelican: passed ÷ applicable processes."""

    key: str
    name: str | Promise
    rule: str | Promise


QUALITY_CHECKS: tuple[QualityCheck, ...] = (
    QualityCheck(
        "timeline",
        _("Fechas en orden"),
        _(
            "inicio y fin del periodo de propuestas, adjudicación, firma y primer pago en ese "
            "orden (aplica con al menos dos de esas fechas)"
        ),
    ),
    QualityCheck(
        "contract_award",
        _("Contrato acorde con la adjudicación"),
        _("monto de los contratos entre 50 % y 150 % del monto adjudicado"),
    ),
    QualityCheck(
        "payments_contract",
        _("Pagos dentro del contrato"),
        _("suma de los pagos de cada contrato no mayor que su monto"),
    ),
    QualityCheck(
        "budget_tender",
        _("Presupuesto acorde con la convocatoria"),
        _("presupuesto de la planeación entre 50 % y 150 % del monto estimado de la convocatoria"),
    ),
    QualityCheck(
        "s2_servants",
        _("Servidores que intervinieron (S2)"),
        _(
            "procesos adjudicados con al menos un servidor público registrado en el S2 para ese "
            "procedimiento (aplica cuando el espejo del S2 tiene datos)"
        ),
    ),
)

QUALITY_BY_KEY = {check.key: check for check in QUALITY_CHECKS}
