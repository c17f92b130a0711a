"""The stage flows: capture → review → approve (publish) or return to capture with a reason.

Every stage of a contracting process (planning, tender, award, contract, implementation) and every
later event (amendments, cancellations, desierta, termination, implementation updates) runs the
same maker/checker path, so each flow below is the shared ``StageFlow`` with its own stage.
Open-source viewflow has no subprocess node, so a contracting process is a plain model and each
stage is a flow process of its own linked to it (``StageProcess.contracting_process``).

Permissions live on the nodes (``CaptureTask`` / ``ReviewTask``): the unit's capturistas
capture, the unit's or entity's aprobadores review, and never the person who submitted.
"""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflows.base.procedures import Stage
from workflows.processes.permissions import may_capture, may_review
from workflows.processes.process_models import StageProcess


def stage_of(task) -> StageProcess:
    return StageProcess.objects.select_related("contracting_process").get(pk=task.process_id)


def task_page(request, *args, task_pk=None, **kwargs):
    """Viewflow's node view: the staff screens show every task at /tramite/tareas/<pk>/."""
    return redirect("workflows:task", pk=task_pk or kwargs.get("task_pk"))


class CaptureTask(flow.View):
    """Filled by a capturista of the process's unit; whoever takes it owns it until submitting."""

    def can_assign(self, user, task):
        return not task.owner_id and may_capture(user, stage_of(task).contracting_process)

    def can_execute(self, user, task):
        return task.owner_id == user.pk and may_capture(user, stage_of(task).contracting_process)


class ReviewTask(flow.View):
    """Decided by an aprobador of the unit or entity who did not submit the capture."""

    def can_assign(self, user, task):
        return not task.owner_id and may_review(user, stage_of(task))

    def can_execute(self, user, task):
        return task.owner_id == user.pk and may_review(user, stage_of(task))


class StageFlow(flow.Flow):
    """Etapa de un proceso de contratación"""

    process_class = StageProcess
    lock_impl = lock.select_for_update_lock
    stage: Stage = Stage.PLANNING

    start = flow.StartHandle(this.start_stage).Next(this.capture)
    capture = (
        CaptureTask(task_page)
        .Annotation(title=_("Captura"))
        .Assign(this.returned_to)
        .Next(this.review)
    )
    review = ReviewTask(task_page).Annotation(title=_("Revisión y aprobación")).Next(this.decide)
    decide = (
        flow.If(this.is_approved)
        .Annotation(title=_("¿Aprobada?"))
        .Then(this.end)
        .Else(this.capture)
    )
    end = flow.End().Annotation(title=_("Publicada"))

    def start_stage(self, activation, *, contracting_process):
        activation.process.contracting_process = contracting_process
        activation.process.stage = self.stage
        return activation.process

    def returned_to(self, activation):
        """A returned capture goes back to whoever submitted it (None: anyone may take it)."""
        return activation.process.submitted_by

    def is_approved(self, activation):
        return activation.process.approved


class PlanningFlow(StageFlow):
    """Planeación"""

    stage = Stage.PLANNING


class TenderFlow(StageFlow):
    """Convocatoria / procedimiento"""

    stage = Stage.TENDER


class AwardFlow(StageFlow):
    """Fallo / adjudicación"""

    stage = Stage.AWARD


class ContractFlow(StageFlow):
    """Contrato"""

    stage = Stage.CONTRACT


class ImplementationFlow(StageFlow):
    """Ejecución"""

    stage = Stage.IMPLEMENTATION


class ClarificationMeetingFlow(StageFlow):
    """Junta de aclaraciones"""

    stage = Stage.CLARIFICATION_MEETING


class TenderAmendmentFlow(StageFlow):
    """Modificación a la convocatoria"""

    stage = Stage.TENDER_AMENDMENT


class TenderCancellationFlow(StageFlow):
    """Cancelación del procedimiento"""

    stage = Stage.TENDER_CANCELLATION


class TenderUnsuccessfulFlow(StageFlow):
    """Procedimiento desierto"""

    stage = Stage.TENDER_UNSUCCESSFUL


class AwardCancellationFlow(StageFlow):
    """Cancelación de la adjudicación"""

    stage = Stage.AWARD_CANCELLATION


class ContractAmendmentFlow(StageFlow):
    """Convenio modificatorio"""

    stage = Stage.CONTRACT_AMENDMENT


class ContractTerminationFlow(StageFlow):
    """Terminación del contrato"""

    stage = Stage.CONTRACT_TERMINATION


class ImplementationUpdateFlow(StageFlow):
    """Avance de ejecución"""

    stage = Stage.IMPLEMENTATION_UPDATE


FLOWS = {
    flow_class.stage: flow_class
    for flow_class in (
        PlanningFlow,
        TenderFlow,
        AwardFlow,
        ContractFlow,
        ImplementationFlow,
        ClarificationMeetingFlow,
        TenderAmendmentFlow,
        TenderCancellationFlow,
        TenderUnsuccessfulFlow,
        AwardCancellationFlow,
        ContractAmendmentFlow,
        ContractTerminationFlow,
        ImplementationUpdateFlow,
    )
}
