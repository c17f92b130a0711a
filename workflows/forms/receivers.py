"""Signal receivers: publishing a form definition in Wagtail freezes a new FormVersion."""

from workflows.forms.form_models import FormDefinition
from workflows.forms.form_services import form_version_publish


def form_definition_published(sender, instance, revision=None, **kwargs):
    if isinstance(instance, FormDefinition):
        user = getattr(revision, "user", None)
        form_version_publish(definition=instance, user=user)
