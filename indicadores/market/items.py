"""The item search: which items (CUCoP key and unit of measure) a few words describe, and how many
prices each has, read from the catalogue of descriptions instead of every price row.

A capturista who does not know the key writes words («paracetamol 500»); the answer is the items
whose descriptions contain every word, each with its number of prices and the ways it was
described, so the person picks the item whose price references to read (a key's references are
stored, summaries.py). Mixing the prices of every item a word names (tablets and injectables,
printer paper and toilet paper) does not describe any market: that basket can still be asked for
(``selectors.search(texto=…)``), and is counted each time.

Cost: the words are matched against ``PriceDescription`` (one row per key, unit and description,
with a trigram index on PostgreSQL), and the prices of the matching descriptions are counted from
the index ``price_description`` alone, so a word shared by a key's 160 000 prices costs a count of
index entries, not reading them.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from indicadores.market.models import PriceDescription, PriceObservation
from indicadores.market.selectors import DEFAULT_CURRENCIES, text_words

MAX_ITEMS = 50  # items listed; ``items_total`` says how many matched
MAX_DESCRIPTIONS = 3  # ways an item was described, shown with it (the most used first)
MIN_WORD = 3  # a search needs a word this long: shorter ones match nearly every description


@dataclass
class Item:
    """An item the words describe: a CUCoP key (possibly none) in one unit of measure."""

    classification_id: str
    unit_key: str
    family: str = ""
    unit_name: str = ""
    prices: int = 0
    descriptions: list[tuple[str, int]] = field(default_factory=list)  # (as written, prices)


@dataclass
class ItemSearch:
    items: list[Item]  # the first MAX_ITEMS, most prices first
    items_total: int
    prices_total: int


class ItemSearchError(ValueError):
    """The words cannot name an item (the message says why, in Spanish)."""


def matching(texto: str, familia: str = ""):
    """The catalogue's descriptions containing every word of ``texto`` (and of the family)."""
    words = text_words(texto)
    if not any(len(word) >= MIN_WORD for word in words):
        raise ItemSearchError(
            _("Escriba al menos una palabra de %(n)s letras o más.") % {"n": MIN_WORD}
        )
    descriptions = PriceDescription.objects.all()
    for word in words:
        descriptions = descriptions.filter(description_folded__contains=word)
    if familia.strip():
        descriptions = descriptions.filter(family=familia.strip()[:3])
    return descriptions


def _counts(descriptions) -> dict[tuple[str, str, str], int]:
    """Prices per (key, unit, description key) of these descriptions, in pesos as the default
    basket counts them (from the index ``price_description`` alone on PostgreSQL)."""
    rows = (
        PriceObservation.objects.filter(
            description_key__in=descriptions.values("description_key"),
            currency__in=DEFAULT_CURRENCIES,
        )
        .values_list("classification_id", "unit_key", "description_key")
        .annotate(prices=Count("*"))
        .order_by()
    )
    return {(key, unit, digest): prices for key, unit, digest, prices in rows}


def find_items(texto: str, *, familia: str = "", limit: int = MAX_ITEMS) -> ItemSearch:
    """The items ``texto`` describes, most prices first; descriptions whose prices are all gone
    (republished or rebuilt since) are left out."""
    descriptions = matching(texto, familia)
    counts = _counts(descriptions)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (key, unit, _digest), prices in counts.items():
        totals[key, unit] += prices
    ranked = sorted(totals, key=lambda item: (-totals[item], item))
    items = {pair: Item(*pair, prices=totals[pair]) for pair in ranked[:limit]}
    _describe(items, descriptions, counts)
    return ItemSearch(
        items=list(items.values()), items_total=len(totals), prices_total=sum(totals.values())
    )


def _describe(items: dict[tuple[str, str], Item], descriptions, counts) -> None:
    """Family, unit and the most used descriptions of the listed items, from the catalogue."""
    shown = descriptions.filter(
        classification_id__in={key for key, _unit in items},
        unit_key__in={unit for _key, unit in items},
    ).values_list(
        "classification_id", "unit_key", "description_key", "family", "unit_name", "description"
    )
    for key, unit, digest, family, unit_name, description in shown:
        item = items.get((key, unit))
        prices = counts.get((key, unit, digest), 0)
        if item is None or not prices:
            continue
        item.family, item.unit_name = item.family or family, item.unit_name or unit_name
        item.descriptions.append((description, prices))
    for item in items.values():
        item.descriptions.sort(key=lambda pair: (-pair[1], pair[0]))
        del item.descriptions[MAX_DESCRIPTIONS:]


def catalogue(rows) -> None:
    """Add to the catalogue the descriptions of these new price rows it does not have yet."""
    new = {}
    for row in rows:
        new.setdefault(
            (row.classification_id, row.unit_key, row.description_key),
            PriceDescription(
                classification_id=row.classification_id,
                family=row.family,
                unit_key=row.unit_key,
                unit_name=row.unit_name,
                description=row.description,
                description_folded=row.description_folded,
                description_key=row.description_key,
            ),
        )
    PriceDescription.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=500)
