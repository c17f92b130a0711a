"""The documentType choices staff see: OCP's Spanish titles, the ones that fit the stage first.

The stored value is always the OCDS code; the title comes from ocds_pages/data/codelists-es/ and
the fit from the codelist's own Section column (``ocds_pages.codelists.document_type_sections``).
"""

from django.utils.translation import gettext as _

from ocds_pages.codelists import document_type_sections, spanish_choices
from workflows.base.procedures import Stage

SECTIONS = ("planning", "tender", "award", "contract", "implementation")


def section_of(stage: str) -> str | None:
    """The OCDS section a stage's documents belong to (by its release tag: contractAmendment →
    contract)."""
    if stage not in Stage.values:
        return None
    tag = Stage(stage).release_tag
    return next((section for section in SECTIONS if tag.startswith(section)), None)


def choices(stage: str | None = None) -> list:
    """An empty first option (a type must be chosen), then the types of ``stage``'s section, then
    the rest — as two option groups when the stage is known."""
    options = spanish_choices("documentType")
    section = section_of(stage) if stage else None
    empty = ("", _("— Elija el tipo de documento —"))
    if section is None:
        return [empty, *sorted(options, key=lambda option: option[1])]
    sections = document_type_sections()
    fit = [option for option in options if section in sections.get(option[0], ())]
    rest = [option for option in options if option not in fit]
    return [
        empty,
        (_("Propios de la etapa «%(stage)s»") % {"stage": Stage(stage).label}, fit),
        (_("Otros tipos de documento"), sorted(rest, key=lambda option: option[1])),
    ]
