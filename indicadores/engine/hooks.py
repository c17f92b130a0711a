"""How the engine plugs into the lower layers (docs/arquitectura.md §4), connected in ready().

* ``workflows.processes.integrity``: the capture and review screens ask every registered source for
  the findings on the candidate record; ours evaluates the indicators of the pending stage and
  returns the flagged outcomes. A high-severity finding of a code in ``INDICADORES_BLOQUEANTES``
  blocks the approval until the approver justifies it.
* ``ocds_pages.signals.release_published``: each publication is evaluated and its outcomes sent
  with ``indicadores.signals.outcomes_computed`` (the alert lifecycle listens to it).
"""

import logging

from django.utils.translation import gettext as _

from indicadores.engine import conf
from indicadores.engine.core import indicator
from indicadores.engine.runner import (
    evaluate_candidate,
    evaluate_record,
    send_outcomes,
    view_of_record,
)
from indicadores.outcomes import Outcome, Severity
from workflows.processes.integrity import Candidate, IntegrityFinding

logger = logging.getLogger(__name__)
SOURCE_NAME = "indicadores"


def finding(outcome: Outcome, blocking_codes: frozenset[str]) -> IntegrityFinding:
    """The review screen's view of a flagged outcome."""
    return IntegrityFinding(
        code=outcome.code,
        name=str(indicator(outcome.code).name),
        severity=outcome.severity,
        explanation=outcome.explanation,
        subject=outcome.subject,
        evidence=outcome.evidence,
        links=outcome.links,
        blocking=outcome.severity == Severity.HIGH and outcome.code in blocking_codes,
    )


def integrity_source(candidate: Candidate) -> list[IntegrityFinding]:
    """Flagged outcomes of the candidate record as findings for the capture and review screens."""
    blocking = conf.blocking_codes()
    try:
        outcomes = evaluate_candidate(candidate)
    except Exception:
        # The screen must still open, and say that the check did not run rather than show none.
        logger.exception("Indicadores: fallo al evaluar %s", candidate.ocid)
        return [
            IntegrityFinding(
                code="INDICADORES",
                name=_("Indicadores de integridad"),
                severity=Severity.MEDIUM,
                explanation=_(
                    "No se pudieron calcular los indicadores de integridad de este proceso; "
                    "avise al administrador antes de decidir."
                ),
            )
        ]
    return [finding(o, blocking) for o in outcomes if o.flagged]


def on_release_published(sender, *, ocid, record, **kwargs) -> None:
    """Evaluate the newly published record and announce its outcomes.

    It runs after the publication committed; a failure here must not reach the person who
    approved (their release is safely stored), so it is logged and ``calcular_indicadores``
    catches the process up on its next run.
    """
    try:
        outcomes = evaluate_record(record)
    except Exception:
        logger.exception("Indicadores: fallo al evaluar %s al publicarse", ocid)
        return
    send_outcomes(view_of_record(record), outcomes)
