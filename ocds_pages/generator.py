"""Synthetic data at national scale: many entities and processes, deterministic for a seed.

The releases come from ``ocds_pages.synthetic`` (the same shape the public-site tests publish);
this module only decides, with a seeded ``random.Random``, which processes exist and how they
vary (procedure mix, bidders, a Zipf-like supplier market, prices around a reference price,
amendments, payments, desiertas and cancellations). Records are compiled with the project's
Merger and projections come from ``ocds_pages.projections``, so the stored rows are those
``publish_release`` would store; only the insertion is bulk (one transaction per batch).

Planted cases: ``generate`` accepts callables that edit the list of process plans before any
release is built. Later integrity cases (sanctioned suppliers, EFOS, split purchases, conflicts of
interest) are written as such callables; ``PlantSupplier`` is the documented example.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from cms.models import Entity, PurchasingUnit
from ocds_pages.compile import compile_releases
from ocds_pages.models import (
    ItemProjection,
    OcidCounter,
    ProcessProjection,
    Record,
    Release,
    SupplierProjection,
)
from ocds_pages.projections import item_rows, process_row, supplier_rows
from ocds_pages.publication import _release_row, dumps
from ocds_pages.synthetic import Item, ProcessSpec, Supplier, lifecycle_releases
from ocds_pages.validation import parse_datetime

# (procurementMethod, procurementMethodDetails, weight): most Mexican purchases are direct awards.
METHODS = (
    ("direct", "Adjudicación directa", 70),
    ("selective", "Invitación a cuando menos tres personas", 20),
    ("open", "Licitación pública", 10),
)
# (description, CUCoP-like key, unit, reference price, category)
CATALOGUE = (
    ("Paracetamol tabletas de 500 mg, caja con 10", "25300002", "Caja", "18.50", "goods"),
    ("Amoxicilina cápsulas de 500 mg, caja con 12", "25300011", "Caja", "42.00", "goods"),
    ("Guantes de látex para exploración, caja con 100", "25400001", "Caja", "135.00", "goods"),
    ("Papel bond tamaño carta, caja con 5000 hojas", "21100003", "Caja", "780.00", "goods"),
    ("Tóner para impresora láser", "21400007", "Pieza", "1450.00", "goods"),
    ("Computadora de escritorio", "51500012", "Pieza", "16500.00", "goods"),
    ("Gasolina magna", "26100001", "Litro", "23.90", "goods"),
    ("Uniformes de trabajo", "27100004", "Pieza", "640.00", "goods"),
    ("Servicio mensual de limpieza", "35800001", "Servicio", "95000.00", "services"),
    ("Servicio mensual de vigilancia", "33800002", "Servicio", "120000.00", "services"),
    ("Mantenimiento preventivo de vehículos", "35500003", "Servicio", "8500.00", "services"),
    ("Carpeta asfáltica de 5 cm", "61400001", "m2", "310.00", "works"),
    ("Construcción de aula prefabricada", "62200004", "Obra", "1250000.00", "works"),
)
TITLES = {
    "goods": "Adquisición de {}",
    "services": "Contratación de {}",
    "works": "Obra pública: {}",
}
FIRST_DAY = datetime.fromisoformat("2024-01-08T10:00:00-06:00")
DESERTED, CANCELLED = 0.05, 0.03  # shares of processes whose tender ends without an award
AMENDED, PAID = 0.15, 0.6  # shares of contracts with a convenio modificatorio / with payments


@dataclass
class Plan:
    """One process to generate: its spec plus what synthetic.ProcessSpec does not express."""

    entity: Entity
    unit: PurchasingUnit
    spec: ProcessSpec
    tender_status: str = "active"  # "unsuccessful" (desierta) or "cancelled" end the process


PlantedCase = Callable[[list[Plan], random.Random], None]


@dataclass(frozen=True)
class PlantSupplier:
    """Planted case example: ``supplier`` wins ``awards`` processes chosen at random.

    Later cases (e.g. a sanctioned supplier or an EFOS) reuse it with the registry's RFC.
    """

    supplier: Supplier
    awards: int

    def __call__(self, plans: list[Plan], rng: random.Random) -> None:
        awarded = [plan for plan in plans if "award" in plan.spec.stages]
        for plan in rng.sample(awarded, min(self.awards, len(awarded))):
            # A bidder listed twice would duplicate its party: it leaves the losing bidders.
            bidders = [bidder for bidder in plan.spec.bidders if bidder != self.supplier]
            plan.spec = replace(plan.spec, supplier=self.supplier, bidders=bidders)


# --- entities and suppliers ---------------------------------------------------------------------


def ensure_entities(count: int) -> list[tuple[Entity, PurchasingUnit]]:
    """Entities GEN0001… with one purchasing unit each, created when missing."""
    pairs = []
    for number in range(1, count + 1):
        key = f"GEN{number:04d}"
        entity, _created = Entity.objects.get_or_create(
            key=key,
            defaults={
                "name": f"Ente público sintético {number}",
                "acronym": key,
                "level": "federal",
                "rfc": f"GEN240101{number % 1000:03d}",
            },
        )
        unit, _created = PurchasingUnit.objects.get_or_create(
            key=f"{key}U01", defaults={"entity": entity, "name": "Unidad compradora central"}
        )
        pairs.append((entity, unit))
    return pairs


def supplier_market(rng: random.Random, size: int) -> tuple[list[Supplier], list[float]]:
    """Suppliers and cumulative Zipf weights: a few win most processes, many win one or two."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    suppliers, cumulative, total = [], [], 0.0
    for rank in range(1, size + 1):
        prefix = "".join(rng.choice(letters) for _ in range(3))
        rfc = f"{prefix}{rng.randint(90, 99):02d}0101{_base36(rank)}"
        suppliers.append(Supplier(rfc, f"Proveedora sintética {rank}, S.A. de C.V."))
        total += 1 / rank**1.1
        cumulative.append(total)
    return suppliers, cumulative


def _base36(number: int) -> str:
    # Three characters keep the RFC shape and distinct homoclaves for up to 46,656 suppliers.
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    for _position in range(3):
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
    return text


# --- plans --------------------------------------------------------------------------------------


def _items(rng: random.Random) -> list[Item]:
    category = rng.choice(("goods", "goods", "goods", "services", "works"))
    options = [entry for entry in CATALOGUE if entry[4] == category]
    items = []
    for description, cucop, unit, price, _category in rng.sample(
        options, rng.randint(1, min(3, len(options)))
    ):
        # Prices vary around the reference price (log-normal: never negative, right-skewed).
        unit_price = (Decimal(price) * Decimal(rng.lognormvariate(0, 0.15))).quantize(
            Decimal("0.01")
        )
        quantity = 1 if unit == "Obra" else rng.randint(1, 500)
        items.append(Item(description, cucop, quantity, unit, unit_price))
    return items


def _stages(rng: random.Random, method: str) -> tuple[tuple[str, ...], str]:
    planning = ("planning",) if rng.random() < 0.4 else ()
    if method != "direct":
        outcome = rng.random()
        if outcome < DESERTED:
            return (*planning, "tender"), "unsuccessful"
        if outcome < DESERTED + CANCELLED:
            return (*planning, "tender"), "cancelled"
    stages = (*planning, "tender", "award", "contract")
    if rng.random() < AMENDED:
        stages += ("contractAmendment",)
    if rng.random() < PAID:
        stages += ("implementation",)
    return stages, "active"


def _plan(rng, pair, serial: int, market) -> Plan:
    entity, unit = pair
    suppliers, cumulative = market
    method, details, _weight = rng.choices(METHODS, weights=[m[2] for m in METHODS])[0]
    winner = rng.choices(suppliers, cum_weights=cumulative)[0]
    bidders = (
        []
        if method == "direct"
        else list(rng.choices(suppliers, cum_weights=cumulative, k=rng.randint(1, 5)))
    )
    items = _items(rng)
    category = next(entry[4] for entry in CATALOGUE if entry[1] == items[0].cucop)
    stages, tender_status = _stages(rng, method)
    spec = ProcessSpec(
        ocid=f"{settings.OCID_PREFIX}-{entity.key}-{serial:06d}",
        title=TITLES[category].format(items[0].description.lower()),
        description=f"{details} para {items[0].description.lower()}.",
        items=items,
        supplier=winner,
        method=method,
        method_details=details,
        category=category,
        start=FIRST_DAY + timedelta(days=rng.randint(0, 700)),
        stages=stages,
        bidders=[bidder for bidder in dict.fromkeys(bidders) if bidder != winner],
        paid_fraction=Decimal(rng.choice(("0.25", "0.5", "0.75", "1"))),
    )
    return Plan(entity=entity, unit=unit, spec=spec, tender_status=tender_status)


def make_plans(
    *, pairs, processes: int, seed: int, first_serials: dict[int, int] | None = None
) -> tuple[list[Plan], random.Random]:
    """The plans of ``processes`` processes spread over ``pairs``; same seed, same plans."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    market = supplier_market(rng, max(20, processes // 5))
    serials = dict(first_serials or {})
    plans = []
    for _number in range(processes):
        pair = pair_for(rng, pairs)
        serials[pair[0].pk] = serials.get(pair[0].pk, 0) + 1
        plans.append(_plan(rng, pair, serials[pair[0].pk], market))
    return plans, rng


def pair_for(rng: random.Random, pairs):
    # Large entities publish many more processes than small ones (Zipf over the entity list).
    return rng.choices(pairs, weights=[1 / rank for rank in range(1, len(pairs) + 1)])[0]


def plan_releases(plan: Plan) -> list[dict]:
    """The releases of one plan; an ended tender carries its final status."""
    releases = lifecycle_releases(spec=plan.spec, entity=plan.entity)
    if plan.tender_status != "active":
        releases[-1]["tender"]["status"] = plan.tender_status
    return releases


def generate(
    *, pairs, processes: int, seed: int, planted: list[PlantedCase] = (), first_serials=None
) -> Iterator[tuple[Plan, list[dict]]]:
    """Each plan with its releases, after the planted cases edited the plans."""
    plans, rng = make_plans(
        pairs=pairs, processes=processes, seed=seed, first_serials=first_serials
    )
    for case in planted:
        case(plans, rng)
    for plan in plans:
        yield plan, plan_releases(plan)


# --- storage ------------------------------------------------------------------------------------


def current_serials(pairs) -> dict[int, int]:
    """The last serial of each entity, so a second run continues the ocids instead of clashing."""
    entities = [entity.pk for entity, _unit in pairs]
    return dict(
        OcidCounter.objects.filter(entity_id__in=entities).values_list("entity_id", "last_serial")
    )


def store_batch(batch: list[tuple[Plan, list[dict]]]) -> int:
    """Insert the releases, records and projections of a batch in one transaction."""
    with transaction.atomic():
        release_rows, records, compiled = [], [], []
        for plan, releases in batch:
            release_rows += [_release_row(r, plan.entity, plan.unit) for r in releases]
            record, document = _record(plan, releases)
            records.append(record)
            compiled.append(document)
        Release.objects.bulk_create(release_rows)
        Record.objects.bulk_create(records)
        _store_projections(records, compiled)
        _advance_counters(batch)
    return len(release_rows)


def _record(plan: Plan, releases: list[dict]) -> tuple[Record, dict]:
    # The same fields publication._recompile writes.
    compilation = compile_releases(releases)
    record = Record(
        ocid=plan.spec.ocid,
        entity=plan.entity,
        unit=plan.unit,
        compiled_release=dumps(compilation.compiled),
        versioned_release=dumps(compilation.versioned),
        release_count=len(releases),
        last_release_date=parse_datetime(compilation.compiled.get("date")),
    )
    return record, compilation.compiled


def _store_projections(records: list[Record], compiled: list[dict]) -> None:
    processes = ProcessProjection.objects.bulk_create(
        ProcessProjection(record=record, **process_row(record=record, compiled=document))
        for record, document in zip(records, compiled, strict=True)
    )
    suppliers, items = [], []
    for process, document in zip(processes, compiled, strict=True):
        suppliers += [SupplierProjection(process=process, **row) for row in supplier_rows(document)]
        items += [ItemProjection(process=process, **row) for row in item_rows(document)]
    SupplierProjection.objects.bulk_create(suppliers)
    ItemProjection.objects.bulk_create(items)


def _advance_counters(batch) -> None:
    last = {}
    for plan, _releases in batch:
        serial = int(plan.spec.ocid.rsplit("-", 1)[1])
        last[plan.entity.pk] = max(serial, last.get(plan.entity.pk, 0))
    for entity_id, serial in last.items():
        counter, _created = OcidCounter.objects.get_or_create(entity_id=entity_id)
        if counter.last_serial < serial:
            OcidCounter.objects.filter(pk=counter.pk).update(last_serial=serial)
