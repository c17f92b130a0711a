"""The Wagtail preview of a stage form definition.

The model only names its preview template (``FormDefinition.get_preview_template``); the template
asks this tag for the sample form and its OCDS, so the form models never import the preview code
that renders them (workflows/forms/previews.py sits above the models; docs/arquitectura.md).
"""

from django import template

from workflows.forms.previews import preview_context

register = template.Library()


@register.simple_tag
def form_preview(definition) -> dict:
    """The sample form, its OCDS fragment and the procedure shown, for ``definition``."""
    return preview_context(definition)
