"""The retired standalone draft screens (/captura/borradores/): their addresses redirect.

A stage is captured in one place, its task at /tramite/ (``workflows.processes.staff_views``), with
one draft (the ``StageDraft`` of its ``StageProcess``). Bookmarks and links to the old screens lead
to the equivalent page: the list to the inbox, "new draft" to "new process", a draft to the task (or
the process) it belongs to. A draft of another entity still answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from cms.tenancy import get_scoped_or_404
from workflows.forms.form_models import StageDraft
from workflows.processes.process_services import active_task


def draft_list(request):
    return redirect("workflows:inbox", permanent=True)


def draft_create(request):
    return redirect("workflows:process-create", permanent=True)


@login_required
def draft_detail(request, pk):
    """The task that captures the draft while it is open, else its process (302: it changes)."""
    draft = get_scoped_or_404(StageDraft.objects.all(), request.user, pk=pk)
    run = getattr(draft, "stage_process", None)
    if run is None:
        return redirect("workflows:inbox")
    task = active_task(run)
    if task is not None:
        return redirect("workflows:task", pk=task.pk)
    return redirect("workflows:process-detail", pk=run.contracting_process_id)
