"""The one vocabulary of contracting processes: procedure types and the stages they go through.

Every other module (capture forms, workflow, release builder, indicators, monitoring) reads these
two enumerations and nothing else:

* :class:`ProcedureType` — the Mexican procedures of LAASSP / LOPSRM; each knows the OCDS
  ``procurementMethod`` (closed codelist ``method.csv``) it is published as.
* :class:`Stage` — a stage or later event of a process; each knows the release tag it publishes
  (docs/ocds.md §1), the form it is captured with, the status it gives to what it changes, which
  published stages it needs, whether it may happen once only and whether it closes the process.
  The per-stage facts live in one table (``RULES``) read through properties of the members.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureType(models.TextChoices):
    """A procurement procedure of LAASSP / LOPSRM (the value is stored on processes and forms)."""

    LP_NATIONAL = "lp_nacional", _("Licitación pública nacional")
    LP_INTERNATIONAL = "lp_internacional", _("Licitación pública internacional abierta")
    LP_TREATIES = "lp_tratados", _("Licitación pública internacional bajo la cobertura de tratados")
    INV3 = "invitacion3", _("Invitación a cuando menos tres personas")
    DIRECT = "adjudicacion_directa", _("Adjudicación directa")

    @property
    def procurement_method(self) -> str:
        """OCDS ``procurementMethod``: open, selective or direct."""
        return PROCUREMENT_METHOD[self]

    @property
    def tender_period_minimum_days(self) -> int | None:
        """Minimum calendar days between convocatoria and opening of proposals (LAASSP art. 32),
        for public tenders; None for the others."""
        return TENDER_PERIOD_MINIMUM_DAYS.get(self)


PROCUREMENT_METHOD = {
    ProcedureType.LP_NATIONAL: "open",
    ProcedureType.LP_INTERNATIONAL: "open",
    ProcedureType.LP_TREATIES: "open",
    ProcedureType.INV3: "selective",
    ProcedureType.DIRECT: "direct",
}
TENDER_PERIOD_MINIMUM_DAYS = {
    ProcedureType.LP_NATIONAL: 15,
    ProcedureType.LP_INTERNATIONAL: 20,
    ProcedureType.LP_TREATIES: 40,
}
PUBLIC_TENDERS = frozenset(TENDER_PERIOD_MINIMUM_DAYS)
COMPETITIVE = PUBLIC_TENDERS | {ProcedureType.INV3}

# A form definition that applies to every procedure type (stored as the empty string).
ALL_PROCEDURES = ""
FORM_PROCEDURE_CHOICES = [(ALL_PROCEDURES, _("Todos los procedimientos")), *ProcedureType.choices]


def procurement_method(procedure_type: str) -> str:
    """The OCDS procurementMethod of a stored procedure type value."""
    return ProcedureType(procedure_type).procurement_method


class Stage(models.TextChoices):
    """A stage or later event of a contracting process (the value is stored on runs and forms)."""

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

    @property
    def rules(self) -> "StageRules":
        return RULES[self]

    @property
    def release_tag(self) -> str:
        """The OCDS releaseTag the approved stage publishes."""
        return RULES[self].release_tag

    @property
    def form(self) -> "Stage":
        """The stage whose form definition captures this one (usually itself)."""
        return RULES[self].form or self

    @property
    def status(self) -> "StatusEffect | None":
        """The status the stage gives to the object it changes (None: it changes none)."""
        return RULES[self].status

    @property
    def requires(self) -> frozenset:
        """The published stages it needs before it may start."""
        return RULES[self].requires

    @property
    def blocked_by(self) -> frozenset:
        """Published stages after which it may no longer start."""
        return RULES[self].blocked_by

    @property
    def once(self) -> bool:
        """Whether it happens at most once per process (events not marked may repeat)."""
        return RULES[self].once

    @property
    def closes(self) -> bool:
        """Whether approving it ends the procedure: nothing else may start afterwards."""
        return RULES[self].closes

    @property
    def only_for(self) -> frozenset | None:
        """The procedure types that go through it (None: every one)."""
        return RULES[self].only_for


@dataclass(frozen=True)
class StatusEffect:
    """``section`` (tender, awards or contracts) gets ``status``; ``forced`` overrides what was
    captured (events), otherwise it is the default of a new object (main stages)."""

    section: str
    status: str
    forced: bool = False

    @property
    def path(self) -> str:
        """Path of the status inside a release ("tender/status", "awards/0/status"…)."""
        return f"{self.section}/status" if self.section == "tender" else f"{self.section}/0/status"


@dataclass(frozen=True)
class StageRules:
    """What the law and OCDS say about one stage (one row of ``RULES``)."""

    release_tag: str
    requires: frozenset
    blocked_by: frozenset = frozenset()
    once: bool = False
    closes: bool = False
    status: StatusEffect | None = None
    form: Stage | None = None
    only_for: frozenset | None = None


def _closing(tag: str, section: str, status: str, requires: Stage, blocked_by=()) -> StageRules:
    return StageRules(
        release_tag=tag,
        requires=frozenset({requires}),
        blocked_by=frozenset(blocked_by),
        once=True,
        closes=True,
        status=StatusEffect(section, status, forced=True),
    )


S = Stage
RULES: dict[Stage, StageRules] = {
    S.PLANNING: StageRules("planning", frozenset(), once=True),
    S.TENDER: StageRules(
        "tender", frozenset({S.PLANNING}), once=True, status=StatusEffect("tender", "active")
    ),
    S.AWARD: StageRules(
        "award", frozenset({S.TENDER}), once=True, status=StatusEffect("awards", "active")
    ),
    S.CONTRACT: StageRules(
        "contract", frozenset({S.AWARD}), once=True, status=StatusEffect("contracts", "active")
    ),
    S.IMPLEMENTATION: StageRules("implementation", frozenset({S.CONTRACT}), once=True),
    # A junta de aclaraciones updates the tender with its meeting (EDCA-MX clarificationMeetings);
    # LAASSP arts. 33 and 43: it belongs to the licitación and to the invitación that follows its
    # rules, a direct award has none.
    S.CLARIFICATION_MEETING: StageRules(
        "tenderUpdate",
        frozenset({S.TENDER}),
        blocked_by=frozenset({S.AWARD}),
        only_for=COMPETITIVE,
    ),
    S.TENDER_AMENDMENT: StageRules(
        "tenderAmendment", frozenset({S.TENDER}), blocked_by=frozenset({S.AWARD})
    ),
    S.TENDER_CANCELLATION: _closing(
        "tenderCancellation", "tender", "cancelled", S.TENDER, blocked_by={S.AWARD}
    ),
    # A desierta is an update of the tender's status to "unsuccessful"; its reason is recorded
    # exactly like a cancellation's (tender/statusDetails), so it is captured with that form.
    S.TENDER_UNSUCCESSFUL: StageRules(
        "tenderUpdate",
        frozenset({S.TENDER}),
        blocked_by=frozenset({S.AWARD}),
        once=True,
        closes=True,
        status=StatusEffect("tender", "unsuccessful", forced=True),
        form=S.TENDER_CANCELLATION,
    ),
    S.AWARD_CANCELLATION: _closing(
        "awardCancellation", "awards", "cancelled", S.AWARD, blocked_by={S.CONTRACT}
    ),
    S.CONTRACT_AMENDMENT: StageRules("contractAmendment", frozenset({S.CONTRACT})),
    S.CONTRACT_TERMINATION: _closing("contractTermination", "contracts", "terminated", S.CONTRACT),
    S.IMPLEMENTATION_UPDATE: StageRules("implementationUpdate", frozenset({S.IMPLEMENTATION})),
}
del S

MAIN_STAGES = [Stage.PLANNING, Stage.TENDER, Stage.AWARD, Stage.CONTRACT, Stage.IMPLEMENTATION]
# The stages a form definition may be written for: those captured with a form of their own.
FORM_STAGES = [stage for stage in Stage if stage.form == stage]
FORM_STAGE_CHOICES = [(stage.value, stage.label) for stage in FORM_STAGES]


def can_start(
    stage: str, *, published: set[str], running: set[str], closed: bool, procedure_type=None
) -> bool:
    """Whether ``stage`` may start now, given the stages already published and still running."""
    stage = Stage(stage)
    if closed or stage in running:
        return False
    allowed = stage.only_for
    if allowed is not None and procedure_type is not None and procedure_type not in allowed:
        return False
    if stage.once and stage in published:
        return False
    return stage.requires <= published and not (stage.blocked_by & published)
