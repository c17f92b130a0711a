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
