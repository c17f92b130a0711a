"""The OCDS codelists bundled in the project (for choices in forms and for checks).

The core 1.1.5 codelists, plus the ones the project extension carries (``bidStatus``, from the
OCDS bid extension whose structure it includes) with Spanish titles.
"""

import csv
from functools import cache

from ocds_pages.schema import CORE_DIR, PROJECT_EXTENSION, extension_dir


@cache
def codelist(name: str) -> tuple[dict, ...]:
    """Rows of ``codelists/<name>.csv`` (Code, Title, Description…), e.g. ``documentType``."""
    path = CORE_DIR / "codelists" / f"{name}.csv"
    if not path.exists():
        path = extension_dir(PROJECT_EXTENSION) / "codelists" / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def codes(name: str) -> list[str]:
    """Just the codes of a codelist."""
    return [row["Code"] for row in codelist(name)]


# --- Spanish titles (OCP's official translation, ocds_pages/data/codelists-es/) ---

SPANISH_DIR = CORE_DIR.parent / "codelists-es"


@cache
def spanish_titles(name: str) -> dict[str, str]:
    """Code → official Spanish title in codelist ``name`` (empty if OCP did not translate it)."""
    path = SPANISH_DIR / f"{name}.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["Code"]: row["Title"].strip() for row in csv.DictReader(handle)}


def spanish_title(name: str, code: str) -> str:
    """What staff read for ``code``: the Spanish title, else the bundled title, else the code.

    The codelists the project extension carries (``bidStatus``) already have Spanish titles.
    """
    title = spanish_titles(name).get(code)
    if title:
        return title
    for row in codelist(name):
        if row["Code"] == code:
            return row.get("Title") or code
    return code


def spanish_choices(name: str) -> list[tuple[str, str]]:
    """(code, Spanish title) of every code of ``name``, in the codelist's order."""
    titles = spanish_titles(name)
    return [
        (row["Code"], titles.get(row["Code"]) or row.get("Title") or row["Code"])
        for row in codelist(name)
    ]


@cache
def document_type_sections() -> dict[str, tuple[str, ...]]:
    """documentType code → the release sections it belongs to (the codelist's Section column)."""
    return {
        row["Code"]: tuple(
            part.strip() for part in (row.get("Section") or "").split(",") if part.strip()
        )
        for row in codelist("documentType")
    }
