"""Legal tables the procedure indicators compare with, as data an installation completes.

Montos máximos de adjudicación directa e invitación a cuando menos tres personas: the Presupuesto
de Egresos de la Federación publishes them every year, per range of the entity's authorised
budget, in thousands of pesos before VAT, for acquisitions (LAASSP: goods and services) and for
public works (LOPSRM). Where a maximum comes from, first match wins:

1. ``LegalMaximum`` rows (the national administrator adds them in the admin; the newest row of a
   year, type and procedure is in force, older ones are its history);
2. ``INDICADORES_MONTOS_MAXIMOS`` in the settings, ``{year: {category: {method: pesos}}}``;
3. the rows shipped here.

A year without a maximum makes MX-ADMAX and MX-FRAC «not computable», naming the missing year: an
invented maximum would be worse than none.
"""

from decimal import Decimal

from django.conf import settings

from indicadores.engine.stats_model import LegalMaximum

# The one row shipped: PEF 2019, acquisitions, as quoted by IMCO's Índice de Riesgos de Corrupción
# (one budget range). Installations replace or extend it with their own.
LEGAL_MAXIMA = {
    2019: {
        "goods": {"direct": 636_840, "selective": 4_392_920},
        "services": {"direct": 636_840, "selective": 4_392_920},
    },
}


def legal_maxima(processes=None) -> dict[tuple[int, str, str], tuple[Decimal, str]]:
    """(year, category, method) → (pesos, source) from the three places above, read once (a
    ``Context`` part: one query per batch)."""
    table: dict[tuple[int, str, str], tuple[Decimal, str]] = {}
    for year, rows in LEGAL_MAXIMA.items():
        for category, methods in rows.items():
            for method, value in methods.items():
                table[(year, category, method)] = (Decimal(str(value)), "IMCO IRC (PEF 2019)")
    for year, rows in getattr(settings, "INDICADORES_MONTOS_MAXIMOS", {}).items():
        for category, methods in rows.items():
            for method, value in methods.items():
                table[(int(year), category, method)] = (
                    Decimal(str(value)),
                    "INDICADORES_MONTOS_MAXIMOS",
                )
    newest_first = LegalMaximum.objects.order_by("recorded_at", "pk").values_list(
        "year", "category", "method", "amount", "source"
    )
    for year, category, method, amount, source in newest_first:
        table[(year, category, method)] = (amount, source)  # later rows replace earlier ones
    return table


def legal_maximum(context, year: int, category: str, method: str) -> tuple[Decimal, str] | None:
    """(pesos, source) in force for a year, type of contract and procedure; None if unknown."""
    return context.part("legal_maxima", legal_maxima).get((year, category, method))
