"""Options of choice fields: OCDS codelists and the catalogues editors maintain.

A choice field stores a code; :func:`ocds_value` says what that code becomes in the release (the
citation of a legal ground, the documentType of a document type) and :func:`companions` the
sibling values an identifier carries along (``scheme`` and ``description`` of a classification).
"""

from contextlib import contextmanager

from django.utils.translation import gettext as _

from ocds_pages.codelists import codelist, spanish_choices
from workflows.base import currencies
from workflows.forms.form_models import CucopItem, DocumentType, LegalJustification, UnitOfMeasure

CATALOGUES_NAMES = ("cucop", "units", "justifications", "document_types")
CATALOGUE_SCHEMES = {"cucop": "CUCOP", "units": "UNCEFACT"}


class UnknownSource(LookupError):
    """A choice source that is neither a bundled codelist nor a managed catalogue."""


def parse_source(source: str) -> tuple[str, str]:
    kind, _sep, name = (source or "").partition(":")
    if kind not in ("codelist", "catalogue") or not name:
        raise UnknownSource(source)
    return kind, name


def codelist_exists(name: str) -> bool:
    try:
        codelist(name)
    except (FileNotFoundError, OSError):
        return False
    return True


def _catalogue_rows(name: str) -> list[tuple[str, str]]:
    if name == "cucop":
        return [(i.code, str(i)) for i in CucopItem.objects.filter(active=True)]
    if name == "units":
        return [(u.code, str(u)) for u in UnitOfMeasure.objects.filter(active=True)]
    if name == "justifications":
        justifications = LegalJustification.objects.filter(active=True).in_legal_order()
        return [(j.code, str(j)) for j in justifications]
    if name == "document_types":
        return [(d.ocds_code, d.name) for d in DocumentType.objects.filter(active=True)]
    raise UnknownSource(name)


def options(source: str) -> list[tuple[str, str]]:
    """(value, Spanish label) pairs of a source like ``codelist:currency``."""
    kind, name = parse_source(source)
    if kind == "codelist":
        if not codelist_exists(name):
            raise UnknownSource(source)
        if name == "currency":
            return currencies.choices()
        # Staff read OCP's Spanish titles; the code stays the stored value.
        return spanish_choices(name)
    return _catalogue_rows(name)


# While ``preloaded()`` is active: what ocds_value and companions answer, read once from the
# catalogues instead of one query per call (the data generator builds thousands of releases).
_preloaded: dict[tuple[str, str, str], object] = {}


@contextmanager
def preloaded():
    """Answer ``ocds_value`` and ``companions`` from one read of the catalogues, then forget it.

    Only for bulk work that does not change the catalogues meanwhile (the data generator); the
    screens always read the catalogues as they are now.
    """
    for justification in LegalJustification.objects.all():
        _preloaded["catalogue:justifications", justification.code, "value"] = _(
            "%(citation)s: %(summary)s"
        ) % {"citation": justification.citation(), "summary": justification.summary}
    for item in CucopItem.objects.all():
        _preloaded["catalogue:cucop", item.code, "companions"] = {
            "scheme": CATALOGUE_SCHEMES["cucop"],
            "description": item.description,
        }
    for unit in UnitOfMeasure.objects.all():
        _preloaded["catalogue:units", unit.code, "companions"] = {
            "scheme": CATALOGUE_SCHEMES["units"],
            "name": unit.name,
        }
    _preloaded["loaded", "", ""] = True
    try:
        yield
    finally:
        _preloaded.clear()


def ocds_value(source: str, code: str):
    """What a chosen code is published as."""
    if _preloaded:
        return _preloaded.get((source, code, "value"), code)
    kind, name = parse_source(source)
    if kind == "catalogue" and name == "justifications":
        justification = LegalJustification.objects.filter(code=code).first()
        if justification is not None:
            return _("%(citation)s: %(summary)s") % {
                "citation": justification.citation(),
                "summary": justification.summary,
            }
    return code


def companions(source: str, code: str) -> dict:
    """Sibling values of an identifier chosen from a catalogue (scheme, description/name)."""
    if _preloaded and (source, code, "companions") in _preloaded:
        return dict(_preloaded[source, code, "companions"])
    kind, name = parse_source(source)
    if kind != "catalogue" or name not in CATALOGUE_SCHEMES:
        return {}
    if name == "cucop":
        item = CucopItem.objects.filter(code=code).first()
        label = {"description": item.description} if item else {}
    else:
        unit = UnitOfMeasure.objects.filter(code=code).first()
        label = {"name": unit.name} if unit else {}
    return {"scheme": CATALOGUE_SCHEMES[name], **label}
