"""Public process search: the filter form, the query over the projections and the downloads.

Every filter is a GET parameter with a Spanish name, so a search is a URL a person can share.
The text search runs on ``ProcessProjection.search_text`` (normalised: upper case, no accents):
every word of the query must appear in it as a substring, so "perez" finds "Pérez", "paracet"
finds "paracetamol" and "medicamento" finds "medicamentos". On PostgreSQL the trigram GIN index of
migration 0003 serves those LIKEs. A Spanish full-text match (to_tsvector) was measured slower
here: PostgreSQL computed it row by row instead of using its index (docs/benchmarks.md), so
full text is used only to rank results when a person sorts by relevance.
"""

import csv
import datetime
from collections.abc import Iterator
from decimal import Decimal
from html import escape

from django import forms
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, FloatField, Func, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from ocds_pages import labels
from ocds_pages.models import ItemProjection, ProcessProjection, Record, SupplierProjection
from ocds_pages.projections import normalize_name

PAGE_SIZE = 20
COUNT_LIMIT = 1_000
EXPORT_BATCH = 500

SORTS = {
    "recientes": ("-last_release_date", "-pk"),
    "antiguos": ("last_release_date", "pk"),
    "monto_desc": (F("amount").desc(nulls_last=True), "-pk"),
    "monto_asc": (F("amount").asc(nulls_last=True), "pk"),
    "titulo": ("title", "pk"),
}
SORT_CHOICES = [
    ("recientes", _("Más recientes primero")),
    ("antiguos", _("Más antiguos primero")),
    ("monto_desc", _("Mayor monto primero")),
    ("monto_asc", _("Menor monto primero")),
    ("titulo", _("Título (A–Z)")),
    ("relevancia", _("Relevancia (con texto de búsqueda)")),
]


class SpanishTextRank(Func):
    """``ts_rank(to_tsvector('spanish', col), plainto_tsquery('spanish', q))``: Spanish stems
    weigh the matches found by the substring filter (computed on matching rows only)."""

    output_field = FloatField()

    def __init__(self, column: str, query: str):
        super().__init__(F(column))
        self.query = query

    def as_sql(self, compiler, connection, **extra):
        column_sql, params = compiler.compile(self.source_expressions[0])
        sql = f"ts_rank(to_tsvector('spanish', {column_sql}), plainto_tsquery('spanish', %s))"
        return sql, [*params, self.query]


class OptionsSelect(forms.Widget):
    """A ``<select>`` of many options written in one pass in Python.

    Django's Select renders each option through its own template (≈ 0.2 ms each) and normalises
    its choices again on every form; the search lists every entity and purchasing unit,
    thousands at national scale, and that alone took most of the page's time
    (docs/benchmarks.md). Same markup; keys, labels and attributes are HTML-escaped.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.options: list[tuple[str, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if key == chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.options
        )
        html = f'<select name="{escape(name)}"{flatatt(attrs)}>{options}</select>'
        return mark_safe(html)  # noqa: S308 -- every part is escaped above or by flatatt


class KeyChoiceField(forms.CharField):
    """One key among many (entities, units), offered in a select.

    A ChoiceField would normalise its thousands of choices again on every form (Django 5
    ``normalize_choices``); the keys are checked against a set instead.
    """

    widget = OptionsSelect
    default_error_messages = {"invalid_choice": _("Elija una opción válida de la lista.")}

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(required=False, **kwargs)
        self.empty_label = empty_label
        self.keys = frozenset()

    def set_options(self, options) -> None:
        self.widget.options = [("", str(self.empty_label)), *options]
        self.keys = frozenset(key for key, _label in options)

    def validate(self, value):
        super().validate(value)
        if value and value not in self.keys:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )


def _choice(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=[("", _("Todos")), *choices])


class ProcessSearchForm(forms.Form):
    """The search filters. Choices of entities and units come from the caller (cached)."""

    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        max_length=200,
        help_text=_("Palabras del título, la descripción, las partidas, el comprador o proveedor."),
    )
    ente = KeyChoiceField(label=_("Ente público"), empty_label=_("Todos"))
    unidad = KeyChoiceField(label=_("Unidad compradora"), empty_label=_("Todas"))
    procedimiento = _choice(_("Tipo de procedimiento"), labels.choices("procurementMethod"))
    estado = _choice(_("Estado del procedimiento"), labels.choices("tenderStatus"))
    anio = forms.IntegerField(label=_("Año"), required=False, min_value=1990, max_value=2100)
    monto_min = forms.DecimalField(
        label=_("Monto mínimo (MXN)"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    monto_max = forms.DecimalField(
        label=_("Monto máximo (MXN)"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    proveedor = forms.CharField(
        label=_("RFC o identificador del proveedor"), required=False, max_length=255
    )
    clasificacion = forms.CharField(
        label=_("Clave de clasificación de partidas"),
        required=False,
        max_length=100,
        help_text=_("Clave CUCOP u otra; también encuentra las claves que empiezan así."),
    )
    orden = forms.ChoiceField(
        label=_("Ordenar por"), required=False, choices=SORT_CHOICES, initial="recientes"
    )

    def __init__(self, *args, entities=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ente"].set_options(entities)
        self.fields["unidad"].set_options(units)

    def clean(self):
        data = super().clean()
        low, high = data.get("monto_min"), data.get("monto_max")
        if low is not None and high is not None and low > high:
            self.add_error("monto_max", _("El monto máximo debe ser mayor o igual al mínimo."))
        return data


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_LIMIT`` results; past that the page says «Más de 1,000».

    An exact ``COUNT(*)`` of a frequent word reads every matching row (200 ms for 17,000 rows
    at 100,000 processes, docs/benchmarks.md), and nobody pages through thousands of results:
    they narrow the search or download it (downloads are never capped). GitHub's code search
    stops at 1,000 results too.
    """

    @cached_property
    def _counted(self) -> int:
        # One more than the limit tells whether there are more: a single query for both.
        return self.object_list.order_by().values("pk")[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, COUNT_LIMIT)

    @cached_property
    def capped(self) -> bool:
        return self._counted > COUNT_LIMIT


def filter_choices() -> tuple[list, list]:
    """(entities, units) that have published processes, as (key, label) pairs."""
    # EXISTS probes the record's entity/unit index once per row of the small table; a join with
    # DISTINCT read every record (≈ 0.1 s at 25 000 processes, growing with the table).
    entities = Entity.objects.filter(Exists(Record.objects.filter(entity=OuterRef("pk"))))
    entities = entities.order_by("name")
    units = PurchasingUnit.objects.filter(Exists(Record.objects.filter(unit=OuterRef("pk"))))
    return (
        [(key, name) for key, name in entities.values_list("key", "name")],
        [
            (key, f"{name} ({entity})")
            for key, name, entity in units.order_by("entity__name", "name").values_list(
                "key", "name", "entity__acronym"
            )
        ],
    )


def _annotated() -> QuerySet:
    return ProcessProjection.objects.annotate(
        amount=Coalesce("contracted_amount", "awarded_amount", "tender_amount"),
        reference_date=Coalesce(
            "tender_start", "award_date", "contract_date_signed", "last_release_date"
        ),
    )


def _text_filter(query: str) -> Q | None:
    words = normalize_name(query).split()
    if not words:
        return None
    substrings = Q()
    for word in words:
        substrings &= Q(search_text__contains=word)
    return substrings


def _year_range(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def supplier_match(key: str) -> Q:
    """Supplier rows of ``key``: the RFC (identifier) when there is one, else the party id."""
    return Q(identifier=key) | Q(party_id=key)


def _field_filters(data: dict) -> Q:
    q = Q()
    simple = {
        "ente": "entity__key",
        "unidad": "unit__key",
        "procedimiento": "procurement_method",
        "estado": "tender_status",
    }
    for param, lookup in simple.items():
        if data.get(param):
            q &= Q(**{lookup: data[param]})
    if data.get("anio"):
        start, end = _year_range(data["anio"])
        q &= Q(reference_date__gte=start, reference_date__lt=end)
    if data.get("monto_min") is not None:
        q &= Q(amount__gte=data["monto_min"])
    if data.get("monto_max") is not None:
        q &= Q(amount__lte=data["monto_max"])
    return q


def _related_filters(data: dict) -> Q:
    q = Q()
    if data.get("proveedor"):
        suppliers = SupplierProjection.objects.filter(supplier_match(data["proveedor"].strip()))
        q &= Q(Exists(suppliers.filter(process=OuterRef("pk"))))
    if data.get("clasificacion"):
        items = ItemProjection.objects.filter(
            process=OuterRef("pk"), classification_id__startswith=data["clasificacion"].strip()
        )
        q &= Q(Exists(items))
    return q


def search_processes(*, data: dict) -> QuerySet:
    """Processes matching the cleaned form ``data``, sorted as asked."""
    queryset = _annotated().filter(_field_filters(data) & _related_filters(data))
    text = _text_filter(data.get("q") or "")
    if text is not None:
        queryset = queryset.filter(text)
    return _sorted(queryset, data)


def _sorted(queryset: QuerySet, data: dict) -> QuerySet:
    sort = data.get("orden") or "recientes"
    if sort == "relevancia":
        if data.get("q") and connection.vendor == "postgresql":
            rank = SpanishTextRank("search_text", " ".join(normalize_name(data["q"]).split()))
            return queryset.order_by(rank.desc(), "-last_release_date", "-pk")
        sort = "recientes"
    return queryset.order_by(*SORTS[sort])


def result_page_rows(queryset: QuerySet) -> QuerySet:
    """What a result row shows: entity and unit joined, suppliers in one more query."""
    return queryset.select_related("entity", "unit").prefetch_related("suppliers")


# --- downloads -----------------------------------------------------------------------------------

CSV_COLUMNS = [
    ("ocid", _("ocid")),
    ("title", _("título")),
    ("entity__key", _("clave del ente")),
    ("entity__name", _("ente público")),
    ("unit__key", _("clave de la unidad compradora")),
    ("buyer_name", _("comprador")),
    ("procurement_method", _("procedimiento (código OCDS)")),
    ("procurement_method_details", _("procedimiento (detalle)")),
    ("tender_status", _("estado (código OCDS)")),
    ("tender_amount", _("monto de la licitación")),
    ("awarded_amount", _("monto adjudicado")),
    ("contracted_amount", _("monto contratado")),
    ("currency", _("moneda")),
    ("tender_start", _("inicio de la licitación")),
    ("award_date", _("fecha de adjudicación")),
    ("contract_date_signed", _("fecha de firma")),
    ("last_release_date", _("última publicación")),
]


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = "" if value is None else str(value)
    # A title such as "=HIPERVINCULO(...)" would run as a formula in a spreadsheet (CSV
    # injection, OWASP); a leading apostrophe makes it plain text.
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _batches(iterator: Iterator, size: int) -> Iterator[list]:
    batch = []
    for row in iterator:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _supplier_names(process_ids: list[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    rows = SupplierProjection.objects.filter(process_id__in=process_ids).order_by("pk")
    for process_id, name in rows.values_list("process_id", "name"):
        names.setdefault(process_id, []).append(name)
    return {process_id: "; ".join(values) for process_id, values in names.items()}


def iter_csv(*, queryset: QuerySet, site_url: str) -> Iterator[str]:
    """The filtered processes as CSV lines (UTF-8 with BOM so spreadsheets read the accents).

    Rows are read in batches; the suppliers of each batch come in one query (no N+1)."""
    writer = csv.writer(_Echo())
    header = [str(title) for _field, title in CSV_COLUMNS]
    yield "\ufeff" + writer.writerow([*header, str(_("proveedores")), str(_("página"))])
    fields = ["pk", *(field for field, _title in CSV_COLUMNS)]
    rows = queryset.values_list(*fields).iterator(chunk_size=EXPORT_BATCH)
    for batch in _batches(rows, EXPORT_BATCH):
        suppliers = _supplier_names([row[0] for row in batch])
        for row in batch:
            url = f"{site_url}/procesos/{row[1]}/"
            values = [_csv_value(value) for value in row[1:]]
            yield writer.writerow([*values, suppliers.get(row[0], ""), url])


def compiled_release_texts(queryset: QuerySet) -> Iterator[str]:
    """The stored compiled release of each process of ``queryset``, as text (never parsed)."""
    return queryset.values_list("record__compiled_release", flat=True).iterator(EXPORT_BATCH)
