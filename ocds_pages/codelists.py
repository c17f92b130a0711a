"""The OCDS 1.1.5 codelists bundled in the project (for choices in forms and for checks)."""

import csv
from functools import cache

from ocds_pages.schema import CORE_DIR


@cache
def codelist(name: str) -> tuple[dict, ...]:
    """Rows of ``codelists/<name>.csv`` (Code, Title, Description…), e.g. ``documentType``."""
    with (CORE_DIR / "codelists" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def codes(name: str) -> list[str]:
    """Just the codes of a codelist."""
    return [row["Code"] for row in codelist(name)]
