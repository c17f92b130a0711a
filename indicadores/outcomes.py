"""What an indicator answers about one process: the shape every part of the alert system shares.

The engine (``indicadores.engine`` and the indicator modules) produces ``Outcome`` values; the alert
lifecycle, the approver's review panel, the capture warnings, the OIC queue and the API read them.
Keeping the shape here, apart from both, lets each side change without reaching into the other.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeStatus(models.TextChoices):
    """An indicator either flags, does not flag, or could not be computed (never a silent «no»)."""

    FLAGGED = "flagged", _("Con bandera")
    NOT_FLAGGED = "not_flagged", _("Sin bandera")
    NOT_COMPUTABLE = "not_computable", _("No calculable")


class Severity(models.TextChoices):
    """How urgently a finding needs a person; high ones block approval until justified."""

    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Baja")


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


# Not frozen, though nothing changes an outcome once made: a recompute makes 27 per process, and
# a frozen dataclass sets each of the nine fields through object.__setattr__ (four times the
# cost: ≈ 2 % of calcular_indicadores). Slots keep stray attributes out.
@dataclass(slots=True)
class Outcome:
    """One indicator's answer for one process (a published record or a candidate record).

    ``evidence`` is JSON-serialisable and self-contained: the values compared, the thresholds used,
    and for registry matches the mirrored row (system, source, date of sync, match kind
    RFC/CURP/name and its identifiers), so an auditor can act on it and a supplier can contest it.
    ``missing`` names the data that made the outcome not computable (OCDS paths or registry names).
    ``subject`` distinguishes several findings of one indicator in one process (e.g. the supplier's
    party id for a registry match, or the award id); "" when there is only one.
    """

    code: str
    version: int
    status: str
    severity: str = Severity.LOW
    explanation: str = ""
    subject: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (label, url) pairs shown beside the evidence

    @property
    def flagged(self) -> bool:
        return self.status == OutcomeStatus.FLAGGED

    @property
    def key(self) -> tuple[str, str]:
        """Identity of a finding across recomputations: the same key updates the same alert."""
        return (self.code, self.subject)


def indicator_statuses(outcomes: Iterable[Outcome]) -> dict[str, str]:
    """Per indicator code, what it said about the process as a whole: flagged if any outcome
    is, computed if any could be, not computable if all it said was «not computable». The one
    rule of the run's summary (engine/runner.py) and of the risk index (risk/tally.py), worked
    out once per process and handed to both."""
    seen: dict[str, set[str]] = {}
    for outcome in outcomes:
        seen.setdefault(outcome.code, set()).add(outcome.status)
    statuses = {}
    for code, found in seen.items():
        if OutcomeStatus.FLAGGED in found:
            statuses[code] = OutcomeStatus.FLAGGED
        elif OutcomeStatus.NOT_FLAGGED in found:
            statuses[code] = OutcomeStatus.NOT_FLAGGED
        else:
            statuses[code] = OutcomeStatus.NOT_COMPUTABLE
    return statuses
