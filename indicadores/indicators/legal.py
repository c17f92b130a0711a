"""Legal tables the procedure indicators compare with, as data an installation completes.

Montos máximos de adjudicación directa e invitación a cuando menos tres personas: the Presupuesto
de Egresos de la Federación publishes them every year, per range of the entity's authorised
budget, in thousands of pesos before VAT, for acquisitions (LAASSP: goods and services) and for
public works (LOPSRM). The table here is in pesos,
``{year: {mainProcurementCategory: {procurementMethod: pesos}}}``; an installation writes the
rows of its own budget range in ``INDICADORES_MONTOS_MAXIMOS`` (merged year by year over these).
A year without a row makes MX-ADMAX and MX-FRAC «not computable», naming the missing year: an
invented maximum would be worse than none.
"""

from decimal import Decimal

from django.conf import settings

# The one row shipped: PEF 2019, acquisitions, as quoted by IMCO's Índice de Riesgos de Corrupción
# (one budget range). Installations replace or extend it with their own.
LEGAL_MAXIMA = {
    2019: {
        "goods": {"direct": 636_840, "selective": 4_392_920},
        "services": {"direct": 636_840, "selective": 4_392_920},
    },
}


def legal_maxima() -> dict:
    table = {year: dict(rows) for year, rows in LEGAL_MAXIMA.items()}
    for year, rows in getattr(settings, "INDICADORES_MONTOS_MAXIMOS", {}).items():
        table.setdefault(int(year), {}).update(rows)
    return table


def legal_maximum(year: int, category: str, method: str) -> Decimal | None:
    value = legal_maxima().get(year, {}).get(category, {}).get(method)
    return Decimal(str(value)) if value is not None else None
