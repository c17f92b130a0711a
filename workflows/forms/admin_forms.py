"""The Wagtail form of a stage form definition: entity choices by tenancy and the safety checks."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.models import Entity
from cms.roles import Role
from cms.tenancy import scope_queryset
from workflows.forms.checks import check_spec
from workflows.forms.form_services import extension_conflicts
from workflows.forms.spec import spec_from_stream


def editor_entities(user):
    return scope_queryset(Entity.objects.all(), user, field="id", roles={Role.EDITOR})


def _struct_error(field: str, messages: list[str]):
    return StructBlockValidationError(block_errors={field: ValidationError(messages)})


def stream_error(issues) -> StreamBlockValidationError:
    """Wagtail's nested block errors, so each message appears beside its sub-field."""
    block_errors: dict[int, dict] = {}
    non_block = []
    for issue in issues:
        if issue.index is None:
            non_block.append(ValidationError(issue.message))
            continue
        entry = block_errors.setdefault(issue.index, {"own": {}, "rows": {}})
        if issue.child is None:
            entry["own"].setdefault(issue.field, []).append(issue.message)
        else:
            entry["rows"].setdefault(issue.child, {}).setdefault(issue.field, []).append(
                issue.message
            )
    errors = {}
    for index, entry in block_errors.items():
        own = {name: ValidationError(messages) for name, messages in entry["own"].items()}
        if entry["rows"]:
            rows = {
                child: StructBlockValidationError(
                    block_errors={n: ValidationError(m) for n, m in fields.items()}
                )
                for child, fields in entry["rows"].items()
            }
            own["fields"] = ListBlockValidationError(block_errors=rows)
        errors[index] = StructBlockValidationError(block_errors=own)
    return StreamBlockValidationError(block_errors=errors, non_block_errors=ErrorList(non_block))


class FormDefinitionForm(WagtailAdminModelForm):
    """Editors choose only their own entity; a definition that would break OCDS is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser and "entity" in self.fields:
            self.fields["entity"].queryset = editor_entities(user)
            self.fields["entity"].required = True
            self.fields["entity"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        stream = cleaned.get("fields")
        stage, procedure = cleaned.get("stage"), cleaned.get("procedure_type")
        # An empty procedure type is a valid choice: the form applies to every procedure.
        if stream is None or not stage or procedure is None or "fields" in self.errors:
            return cleaned
        spec = spec_from_stream(stream.get_prep_value())
        issues = check_spec(spec, stage=stage, procedure_type=procedure)
        issues += extension_conflicts(spec=spec, exclude=self.instance.pk)
        if issues:
            self.add_error("fields", stream_error(issues))
            raise forms.ValidationError(
                _("El formulario no se guardó: corrija los campos señalados (%(count)s).")
                % {"count": len(issues)}
            )
        return cleaned
