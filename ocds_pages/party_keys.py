"""Keys that identify a party across systems: RFC, CURP and a normalised name.

The published side (supplier projections) and the registry mirrors (integraciones) use these same
functions, so a supplier of a contract and a sanctioned company are always compared alike
(docs/arquitectura.md, decision 10). They live here, in the lower layer, for both to import.
"""

import functools
import re
import unicodedata

# Legal-form suffixes of Mexican companies and associations, written as they look once the dots
# are gone ("S. de R.L. de C.V." -> "S DE RL DE CV").
# Longest first, so "SA DE CV" wins over "SA".
LEGAL_FORMS = sorted(
    [
        "SA DE CV",
        "SAB DE CV",
        "SAPI DE CV",
        "SAPIB DE CV",
        "SAS DE CV",
        "S DE RL DE CV",
        "S DE RL DE IP",
        "S DE RL MI",
        "S DE RL",
        "SC DE RL DE CV",
        "SC DE RL",
        "SC DE CV",
        "SC DE RS",
        "SPR DE RL",
        "SPR DE RI",
        "SPR DE RL DE CV",
        "S EN C",
        "S EN C POR A",
        "S EN NC",
        "SA",
        "SAB",
        "SAPI",
        "SAS",
        "SC",
        "SCL",
        "SCP",
        "AC",
        "IAP",
        "IBP",
        "ABP",
        "SNC",
        "SOFOM ENR",
        "SOFOM ER",
        "SA DE CV SOFOM ENR",
        "SA DE CV SOFOM ER",
    ],
    key=len,
    reverse=True,
)
_FORMS_ALTERNATION = "|".join(re.escape(form) for form in LEGAL_FORMS)
_SUFFIX = re.compile(r"(?:\s+(?:" + _FORMS_ALTERNATION + r"))+$")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_DOT_BEFORE_WORD = re.compile(r"\.(?=[A-Z0-9]{2,})")


def strip_accents(text: str) -> str:
    # Most names and descriptions are plain ASCII already: no decomposition to do (this runs for
    # every name and item of every published process, and of every registry row).
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# The identifier scheme of Mexican taxpayers (org-id.guide) and the party ids built from it.
RFC_SCHEME = "MX-RFC"


def rfc_party_id(rfc: str) -> str:
    """The OCDS party id of an organisation or person known by its RFC: ``MX-RFC-<RFC>``.

    The one rule for it: the capture forms, the bidders of a fallo, the buyer of every release and
    the generators all call this, so one RFC is always one party. The RFC is used as given (the
    forms already upper-case it)."""
    return f"{RFC_SCHEME}-{rfc}"


@functools.lru_cache(maxsize=32768)
def normalise_name(name: str | None) -> str:
    """Upper case, no accents or punctuation, single spaces, legal-form suffix removed.

    "Constructora del Valle, S.A. de C.V." and "CONSTRUCTORA DEL VALLE SA DE CV" both give
    "CONSTRUCTORA DEL VALLE". A name that is only a legal form keeps it (nothing else is left).

    Remembered for the most recent names: the same suppliers and bidders come back in process
    after process, and the indicator engine normalises every party of every process it reads
    (four regular-expression passes each).
    """
    if not name:
        return ""
    text = strip_accents(name).upper().replace("&", " Y ")
    # Dots join abbreviations ("S.A.P.I." -> "SAPI") but a dot glued to a word separates it
    # ("S.A.DE C.V." -> "SA DE CV").
    text = _DOT_BEFORE_WORD.sub(" ", text).replace(".", "")
    text = " ".join(_NOT_ALNUM.sub(" ", text).split())
    stripped = _SUFFIX.sub("", text).strip()
    return stripped or text


def normalise_rfc(rfc: str | None) -> str:
    """Upper case without spaces, hyphens or dots; "" when absent."""
    if not rfc:
        return ""
    # No accent stripping: "Ñ" and "&" are legitimate RFC characters.
    return re.sub(r"[\s\-.]", "", rfc).upper()[:13]


def normalise_curp(curp: str | None) -> str:
    if not curp:
        return ""
    return re.sub(r"[\s\-.]", "", curp).upper()[:18]


def person_name(*parts: str | None) -> str:
    """Join name parts the way the PDN splits them (nombres, primer y segundo apellido)."""
    return " ".join(part.strip() for part in parts if part and part.strip())
