"""Read-side selectors over the query projections (search boxes, filters, market research).

Each one is written so that PostgreSQL can use the indexes of migration 0002: trigram GIN on
UPPER(column) for substring search, and the Spanish full-text index on title + description.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from ocds_pages.models import ItemProjection, ProcessProjection, SupplierProjection

# Must be the exact expression of the process_fulltext_es index, or PostgreSQL will not use it.
FULLTEXT_DOCUMENT = (
    "to_tsvector('spanish', coalesce(ocds_pages_processprojection.title, '') || ' ' || "
    "coalesce(ocds_pages_processprojection.description, ''))"
)


def processes_matching(*, text: str) -> QuerySet[ProcessProjection]:
    """Processes whose title or description contain the words of ``text``.

    PostgreSQL: Spanish full-text search (stems, so "medicamento" finds "medicamentos").
    Other backends: substring match on title or description.
    """
    if connection.vendor != "postgresql":
        return ProcessProjection.objects.filter(
            Q(title__icontains=text) | Q(description__icontains=text)
        )
    match = RawSQL(  # noqa: S611 (constant SQL; the user text goes as a bound parameter)
        f"{FULLTEXT_DOCUMENT} @@ plainto_tsquery('spanish', %s)",
        [text],
        output_field=BooleanField(),
    )
    return ProcessProjection.objects.alias(matches=match).filter(matches=True)


def processes_with_supplier(*, text: str) -> QuerySet[ProcessProjection]:
    """Processes with a supplier whose name contains ``text`` or whose RFC/identifier is it."""
    suppliers = SupplierProjection.objects.filter(
        Q(name__icontains=text) | Q(identifier=text.strip().upper())
    )
    return ProcessProjection.objects.filter(pk__in=suppliers.values("process_id"))


def items_matching(*, text: str) -> QuerySet[ItemProjection]:
    """Items (of any section) whose description contains ``text``: unit prices for research."""
    return ItemProjection.objects.filter(description__icontains=text)
