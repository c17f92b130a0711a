"""Synthetic contracting processes: the one generator of the project (development only).

Two front ends share its vocabulary (:class:`Item`, :class:`Supplier`, party ids from
``ocds_pages.party_keys``, release ids and dates from ``ocds_pages.publication``):

* :func:`generate` / :func:`plan_releases`: processes at national scale, built by the code that
  publishes from the workflows (``manage.py generar_datos``, ``make bench``), described below;
* :func:`lifecycle_releases`: the releases of one hand-described :class:`ProcessSpec` (planning
  to implementation), for the public-site benchmark (``bench_sitio``) and the public pages'
  tests, which publish them through ``publish_releases`` like any real publication.

National scale
--------------
Deterministic for a seed. A seeded ``random.Random`` decides which processes exist and how they
vary (procedure mix with many direct awards, bidders, a Zipf-like supplier market, CUCoP items with
prices around a reference price, amendments, payments, desiertas and cancellations) — the
:class:`Plan` of each process. Each plan then goes through the workflow path, stage by stage:

1. the values a capturista would enter in the stage form (:func:`stage_values`, the cleaned values
   the shipped form returns; the tests run them through the real form);
2. ``workflows.forms.forms_engine.to_ocds`` with the installed FormVersion of that stage and
   procedure turns them into the draft fragment, exactly as
   ``form_services.stage_draft_fragment`` does;
3. ``workflows.processes.releases.build_stage_release`` builds the release from an unsaved in-memory
   ContractingProcess/StageProcess, in the slot (id, date, previous release) that
   ``ocds_pages.publication.new_process_slots`` gives a process not stored yet.

The record is compiled with the project's Merger (``ocds_pages.compile``) and the projections come
from ``ocds_pages.projections``' row functions, so what is stored is what ``publish_release`` would
store; only the insertion is bulk: ``COPY`` on PostgreSQL, batched ``bulk_create`` elsewhere
(``ocds_pages.bulk_publication``, fed by ``devtools.generator_storage``). Building is pure Python,
so it runs in worker processes; the main process allocates ids and inserts. The result does not
depend on the number of workers.

Validation is not run here (``publish_release`` would run it); the tests validate every release.

Planted cases
-------------
``generate`` accepts callables ``case(plans, rng)`` that edit the list of plans before any release
is built (they run in the main process, after all plans are drawn, with the same seeded ``rng``, so
a planted dataset is as reproducible as any other). :class:`PlantSupplier` is the documented
example: a supplier (e.g. one in the SFP sanctions mirror, or an EFOS of SAT 69-B) wins a given
number of processes. Other integrity cases follow the same pattern: split purchases are several
direct awards of one entity to one supplier for the same CUCoP key in a few days (edit ``entity``,
``supplier``, ``items`` and ``start`` of some plans); a conflict of interest is a supplier whose RFC
matches a public servant's registry entry (plant the supplier, then seed the mirror with it).
"""

import hashlib
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from cms.models import Entity, PurchasingUnit
from ocds_pages.models import OcidCounter
from ocds_pages.party_keys import rfc_party_id
from ocds_pages.publication import new_process_slots, party_roles, release_date
from workflows.base.procedures import ProcedureType, Stage
from workflows.forms import catalogues, form_services
from workflows.forms.forms_engine import CaptureContext, to_ocds
from workflows.processes.process_models import ContractingProcess
from workflows.processes.releases import build_stage_release

ZONE = ZoneInfo(settings.TIME_ZONE)
# (procedure type, weight): most Mexican purchases are direct awards; 10 % are public tenders.
PROCEDURES = (
    (ProcedureType.DIRECT, 70),
    (ProcedureType.INV3, 20),
    (ProcedureType.LP_NATIONAL, 7),
    (ProcedureType.LP_INTERNATIONAL, 2),
    (ProcedureType.LP_TREATIES, 1),
)
# Fixed Spanish text (not the translated labels), so a seed gives the same data in any language.
PROCEDURE_NAMES = {
    ProcedureType.DIRECT: "Adjudicación directa",
    ProcedureType.INV3: "Invitación a cuando menos tres personas",
    ProcedureType.LP_NATIONAL: "Licitación pública nacional",
    ProcedureType.LP_INTERNATIONAL: "Licitación pública internacional abierta",
    ProcedureType.LP_TREATIES: "Licitación pública internacional bajo tratados",
}
TENDER_DAYS = {
    ProcedureType.LP_NATIONAL: 16,
    ProcedureType.LP_INTERNATIONAL: 21,
    ProcedureType.LP_TREATIES: 41,
    ProcedureType.INV3: 10,
}
# (description, CUCoP key, UN/CEFACT unit, reference price, category, partida): the keys are in
# the CUCoP sample the migrations install (workflows/data/cucop_muestra.csv).
CATALOGUE = (
    ("Paracetamol tabletas 500 mg caja con 10", "25301001", "XBX", "18.50", "goods", "25301"),
    ("Amoxicilina cápsulas 500 mg caja con 12", "25301003", "XBX", "42.00", "goods", "25301"),
    ("Jeringa desechable 5 ml con aguja", "25401001", "H87", "3.20", "goods", "25401"),
    ("Tóner negro para impresora láser", "21401001", "H87", "1450.00", "goods", "21401"),
    ("Computadora de escritorio", "51501001", "H87", "16500.00", "goods", "51501"),
    ("Gasolina regular (magna)", "26102001", "LTR", "23.90", "goods", "26102"),
    ("Camisa de manga larga para uniforme", "27101001", "H87", "640.00", "goods", "27101"),
    ("Servicio de limpieza integral de inmuebles", "35801001", "MON", "95000.00", "services",
     "35801"),
    ("Servicio de seguridad y vigilancia intramuros", "33801001", "MON", "120000.00", "services",
     "33801"),
    ("Servicio de afinación de vehículos", "35501001", "E48", "8500.00", "services", "35501"),
    ("Pavimentación con concreto hidráulico", "61401001", "MTK", "310.00", "works", "61401"),
    ("Construcción de aulas escolares", "62201002", "C62", "1250000.00", "works", "62201"),
)  # fmt: skip
CATEGORY_OF = {entry[1]: entry[4] for entry in CATALOGUE}
TITLES = {"goods": "Adquisición de {}", "services": "Contratación de {}", "works": "Obra: {}"}
FIRST_DAY = datetime(2024, 1, 8, 10, 0, tzinfo=ZONE)
DESERTED, CANCELLED = 0.05, 0.03  # shares of competitive tenders that end without an award
AMENDED, PAID = 0.15, 0.6  # shares of contracts with a convenio modificatorio / with payments
DIRECT_GROUND = "LAASSP-41-III"
PROGRAMME = "E001 Programa presupuestario sintético"


@dataclass(frozen=True)
class Supplier:
    rfc: str
    name: str

    @property
    def party_id(self) -> str:
        return rfc_party_id(self.rfc)


@dataclass(frozen=True)
class Item:
    """One line of a purchase: a CUCoP key, a quantity at a unit price, and the budget partida
    that pays it (the national-scale plans fill it; a hand-described process may leave it)."""

    description: str
    cucop: str
    quantity: int
    unit: str
    unit_price: Decimal
    partida: str = ""

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class Plan:
    """One process to generate: who buys what from whom, when, and how far it goes."""

    entity: Entity
    unit: PurchasingUnit
    ocid: str
    procedure_type: str
    category: str
    title: str
    description: str
    items: list[Item]
    supplier: Supplier
    start: datetime
    bidders: list[Supplier] = field(default_factory=list)
    outcome: str = "active"  # "unsuccessful" (desierta) or "cancelled" end it after the tender
    amended: bool = False
    paid_fraction: Decimal | None = None  # None: no payment published yet

    @property
    def method(self) -> str:
        return ProcedureType(self.procedure_type).procurement_method

    @property
    def total(self) -> Decimal:
        return sum((item.total for item in self.items), Decimal(0))

    @property
    def stages(self) -> list[str]:
        """The stages published, in order (workflows.base.procedures.Stage values)."""
        stages = [Stage.PLANNING, Stage.TENDER]
        if self.outcome == "unsuccessful":
            return [*stages, Stage.TENDER_UNSUCCESSFUL]
        if self.outcome == "cancelled":
            return [*stages, Stage.TENDER_CANCELLATION]
        stages += [Stage.AWARD, Stage.CONTRACT]
        if self.amended:
            stages.append(Stage.CONTRACT_AMENDMENT)
        if self.paid_fraction is not None:
            stages.append(Stage.IMPLEMENTATION)
        return stages


PlantedCase = Callable[[list[Plan], random.Random], None]


@dataclass(frozen=True)
class PlantSupplier:
    """Planted case: ``supplier`` wins ``awards`` processes chosen at random among the awarded.

    Use it with a sanctioned supplier's or an EFOS' RFC to give later alerts a known answer.
    """

    supplier: Supplier
    awards: int

    def __call__(self, plans: list[Plan], rng: random.Random) -> None:
        awarded = [plan for plan in plans if plan.outcome == "active"]
        for plan in rng.sample(awarded, min(self.awards, len(awarded))):
            # A bidder listed twice would duplicate its party: it leaves the losing bidders.
            plan.bidders = [bidder for bidder in plan.bidders if bidder != self.supplier]
            plan.supplier = self.supplier


# --- entities, suppliers, plans ------------------------------------------------------------------


# Entity names as people write them ("Secretaría de Salud de Jalisco"): distinct words give the
# PDN's buyerName filter the selectivity it has on real data (a numbered "Ente 1" would match
# "Ente 1", "Ente 10", "Ente 100"… as a substring).
ENTITY_KINDS = (
    "Secretaría de",
    "Instituto de",
    "Comisión de",
    "Servicios de",
    "Consejo de",
    "Dirección General de",
    "Coordinación de",
    "Fondo de",
)
ENTITY_SECTORS = (
    "Salud",
    "Educación",
    "Obras Públicas",
    "Movilidad",
    "Agua Potable",
    "Seguridad Pública",
    "Cultura",
    "Vivienda",
    "Desarrollo Rural",
    "Turismo",
    "Medio Ambiente",
    "Economía",
    "Finanzas",
    "Deporte",
    "Protección Civil",
    "Energía",
    "Pesca",
    "Ciencia y Tecnología",
    "Asistencia Social",
    "Infraestructura Carretera",
)


def entity_identity(number: int) -> tuple[str, str, str]:
    """(name, level, state) of synthetic entity ``number``: the federal government first, then
    each state in turn, so the names are distinct up to 5,280 entities."""
    places = [("", "federal"), *((state, "estatal") for state in Entity.State.values)]
    index = number - 1
    state, level = places[index % len(places)]
    rest = index // len(places)
    sector = ENTITY_SECTORS[rest % len(ENTITY_SECTORS)]
    kind = ENTITY_KINDS[(rest // len(ENTITY_SECTORS)) % len(ENTITY_KINDS)]
    where = f"de {Entity.State(state).label}" if state else "del Gobierno Federal"
    copy = rest // (len(ENTITY_SECTORS) * len(ENTITY_KINDS))  # past 5,280 names repeat, numbered
    suffix = f" {copy + 1}" if copy else ""
    return f"{kind} {sector} {where}{suffix}", level, state


def ensure_entities(count: int) -> list[tuple[Entity, PurchasingUnit]]:
    """Entities GEN0001… with one purchasing unit each, created when missing."""
    pairs = []
    for number in range(1, count + 1):
        key = f"GEN{number:04d}"
        name, level, state = entity_identity(number)
        entity, _created = Entity.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "acronym": key,
                "level": level,
                "state": state,
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


def _items(rng: random.Random) -> list[Item]:
    category = rng.choice(("goods", "goods", "goods", "services", "works"))
    options = [entry for entry in CATALOGUE if entry[4] == category]
    items = []
    for description, cucop, unit, price, _category, partida in rng.sample(
        options, rng.randint(1, min(3, len(options)))
    ):
        # Prices vary around the reference price (log-normal: never negative, right-skewed).
        unit_price = (Decimal(price) * Decimal(rng.lognormvariate(0, 0.15))).quantize(
            Decimal("0.01")
        )
        quantity = 1 if category == "works" and unit == "C62" else rng.randint(1, 500)
        items.append(Item(description, cucop, quantity, unit, unit_price, partida))
    return items


def _plan(rng, pair, serial: int, market) -> Plan:
    entity, unit = pair
    suppliers, cumulative = market
    procedure = rng.choices(PROCEDURES, weights=[weight for _p, weight in PROCEDURES])[0][0]
    winner = rng.choices(suppliers, cum_weights=cumulative)[0]
    competitive = procedure != ProcedureType.DIRECT
    drawn = (
        rng.choices(suppliers, cum_weights=cumulative, k=rng.randint(2, 5)) if competitive else []
    )
    items = _items(rng)
    category = CATEGORY_OF[items[0].cucop]
    outcome, amended, paid = "active", False, None
    chance = rng.random()
    if competitive and chance < DESERTED:
        outcome = "unsuccessful"
    elif competitive and chance < DESERTED + CANCELLED:
        outcome = "cancelled"
    else:
        amended = rng.random() < AMENDED
        if rng.random() < PAID:
            paid = Decimal(rng.choice(("0.25", "0.5", "0.75", "1")))
    what = items[0].description.lower()
    return Plan(
        entity=entity,
        unit=unit,
        ocid=f"{settings.OCID_PREFIX}-{entity.key}-{serial:06d}",
        procedure_type=str(procedure),
        category=category,
        title=TITLES[category].format(what),
        description=f"{PROCEDURE_NAMES[procedure]} para {what}.",
        items=items,
        supplier=winner,
        start=FIRST_DAY + timedelta(days=rng.randint(0, 700), minutes=15 * rng.randint(0, 28)),
        bidders=[bidder for bidder in dict.fromkeys(drawn) if bidder != winner],
        outcome=outcome,
        amended=amended,
        paid_fraction=paid,
    )


def pair_for(rng: random.Random, pairs, weights):
    # Large entities publish many more processes than small ones (Zipf over the entity list).
    return rng.choices(pairs, cum_weights=weights)[0]


def make_plans(
    *, pairs, processes: int, seed: int, first_serials: dict[int, int] | None = None
) -> tuple[list[Plan], random.Random]:
    """The plans of ``processes`` processes spread over ``pairs``; same seed, same plans."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    market = supplier_market(rng, max(20, processes // 5))
    weights, total = [], 0.0
    for rank in range(1, len(pairs) + 1):
        total += 1 / rank
        weights.append(total)
    serials = dict(first_serials or {})
    plans = []
    for _number in range(processes):
        pair = pair_for(rng, pairs, weights)
        serials[pair[0].pk] = serials.get(pair[0].pk, 0) + 1
        plans.append(_plan(rng, pair, serials[pair[0].pk], market))
    return plans, rng


# --- what the capturista enters in each stage form -----------------------------------------------


def _money(amount: Decimal) -> dict:
    return {"amount": amount.quantize(Decimal("0.01")), "currency": "MXN"}


def _file(plan: Plan, key: str, day: datetime) -> dict:
    """What the draft stores for an uploaded file (form_services._store_upload), for a file that
    exists only in this generator: its hash is stable so tests can look for it."""
    digest = hashlib.sha256(f"{plan.ocid}/{key}".encode()).hexdigest()
    return {
        "name": f"{key}.pdf",
        "sha256": digest,
        "url": f"{settings.SITE_URL}/documentos/{plan.ocid}/{key}.pdf",
        "format": "application/pdf",
        "datePublished": day.isoformat(timespec="seconds"),
    }


def _item_rows(plan: Plan) -> list[dict]:
    return [
        {
            "descripcion": item.description,
            "cucop": item.cucop,
            "cantidad": Decimal(item.quantity),
            "unidad": item.unit,
            "precioUnitario": _money(item.unit_price),
        }
        for item in plan.items
    ]


def _organization(supplier: Supplier) -> dict:
    return {"nombre": supplier.name, "rfc": supplier.rfc}


@dataclass(frozen=True)
class StageCapture:
    """One approved stage: the form values captured and the moment it was published."""

    stage: str
    values: dict
    date: datetime


def stage_values(plan: Plan) -> list[StageCapture]:
    """The cleaned form values of every stage of ``plan`` (keys of the shipped forms)."""
    start, total = plan.start, plan.total
    tender_end = start + timedelta(days=TENDER_DAYS.get(plan.procedure_type, 0))
    award_day = tender_end + timedelta(days=5)
    contract_day = award_day + timedelta(days=7)
    captures = [StageCapture(Stage.PLANNING, _planning(plan, total), start - timedelta(days=20))]
    captures.append(StageCapture(Stage.TENDER, _tender(plan, total, tender_end), start))
    if plan.outcome != "active":
        reason = (
            "Ninguna proposición cumplió los requisitos técnicos (LAASSP art. 38)."
            if plan.outcome == "unsuccessful"
            else "Caso fortuito: desapareció la necesidad de la contratación (LAASSP art. 38)."
        )
        stage = (
            Stage.TENDER_UNSUCCESSFUL
            if plan.outcome == "unsuccessful"
            else Stage.TENDER_CANCELLATION
        )
        captures.append(StageCapture(stage, {"motivo": reason}, award_day))
        return captures
    captures.append(StageCapture(Stage.AWARD, _award(plan, total, award_day), award_day))
    contract = _contract(plan, total, contract_day)
    captures.append(StageCapture(Stage.CONTRACT, contract, contract_day + timedelta(hours=2)))
    if plan.amended:
        day = contract_day + timedelta(days=30)
        captures.append(StageCapture(Stage.CONTRACT_AMENDMENT, _amendment(total, day), day))
    if plan.paid_fraction is not None:
        day = contract_day + timedelta(days=45)
        captures.append(StageCapture(Stage.IMPLEMENTATION, _implementation(plan, total, day), day))
    return captures


def _planning(plan: Plan, total: Decimal) -> dict:
    values = {
        "justificacion": f"Necesidad del programa anual: {plan.title.lower()}.",
        "montoPresupuesto": _money(total * Decimal("1.1")),
        "programa": PROGRAMME,
        "lineasPresupuestales": [
            {"partida": int(partida), "importe": _money(amount)}
            for partida, amount in _by_partida(plan).items()
        ],
    }
    if plan.method == "direct":
        # The market research that supports a direct award: three quotes around the price.
        values["cotizaciones"] = [
            {
                "titulo": f"Cotización {number}",
                "proveedor": name,
                "fechaCotizacion": (plan.start - timedelta(days=30)).date(),
                "importe": _money(total * Decimal(factor)),
            }
            for number, (name, factor) in enumerate(
                [(plan.supplier.name, "1"), ("Cotizante A, S.A.", "1.08"), ("Cotizante B", "1.12")],
                start=1,
            )
        ]
    return values


def _by_partida(plan: Plan) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for item in plan.items:
        amounts[item.partida] = amounts.get(item.partida, Decimal(0)) + item.total
    return amounts


def _tender(plan: Plan, total: Decimal, end: datetime) -> dict:
    values = {
        "titulo": plan.title,
        "descripcion": plan.description,
        "categoria": plan.category,
        "montoEstimado": _money(total),
        "partidas": _item_rows(plan),
    }
    if plan.method == "direct":
        values["fundamento"] = DIRECT_GROUND
        values["dictamen"] = _file(plan, "dictamen", plan.start)
        return values
    values["inicioPropuestas"] = plan.start
    values["finPropuestas"] = end
    values["criterio"] = "priceOnly"
    values["convocatoria"] = _file(plan, "convocatoria", plan.start)
    if plan.method == "selective":
        invited = [plan.supplier, *plan.bidders]
        values["invitados"] = [_organization(supplier) for supplier in invited]
    return values


def _award(plan: Plan, total: Decimal, day: datetime) -> dict:
    values = {
        "titulo": f"Fallo: {plan.title}",
        "fechaFallo": day,
        "monto": _money(total),
        "proveedores": [_organization(plan.supplier)],
        "partidas": _item_rows(plan),
        "actaFallo": _file(plan, "fallo", day),
    }
    if plan.method != "direct":
        bids = [{**_organization(plan.supplier), "monto": _money(total), "estado": "valid"}]
        for number, bidder in enumerate(plan.bidders, start=1):
            bid = {**_organization(bidder), "monto": _money(total * Decimal(1 + number / 20))}
            if number % 2:
                bid |= {"estado": "disqualified", "motivo": "No presentó la garantía de seriedad."}
            else:
                bid["estado"] = "valid"
            bids.append(bid)
        values["proposiciones"] = bids
    return values


def _contract(plan: Plan, total: Decimal, day: datetime) -> dict:
    return {
        "titulo": f"Contrato: {plan.title}",
        "monto": _money(total),
        "fechaFirma": day.date(),
        "inicio": (day + timedelta(days=1)).date(),
        "fin": (day + timedelta(days=120)).date(),
        "partidas": _item_rows(plan),
        "garantias": [
            {
                "tipo": "fulfillment",
                "obligaciones": "Cumplimiento del contrato",
                "monto": _money(total / 10),
                "fiadora": "Afianzadora Sintética, S.A.",
            }
        ],
        "contratoFirmado": _file(plan, "contrato", day),
    }


def _amendment(total: Decimal, day: datetime) -> dict:
    return {
        "convenios": [
            {
                "fecha": day,
                "motivo": "Ampliación del 15 % en cantidades (LAASSP art. 52).",
                "descripcion": "Se amplían el monto y la vigencia 30 días.",
            }
        ],
        "nuevoMonto": _money(total * Decimal("1.15")),
        "nuevoFin": (day + timedelta(days=120)).date(),
    }


def _implementation(plan: Plan, total: Decimal, day: datetime) -> dict:
    return {
        "pagos": [
            {
                "fecha": day.date(),
                "importe": _money(total * plan.paid_fraction),
                "beneficiario": plan.supplier.name,
                "rfcBeneficiario": plan.supplier.rfc,
                "cfdi": str(uuid.uuid5(uuid.NAMESPACE_URL, plan.ocid)).upper(),
            }
        ],
        "entregas": [
            {
                "titulo": "Primera entrega",
                "tipo": "delivery",
                "fechaCompromiso": (day - timedelta(days=2)).date(),
                "fechaCumplido": (day - timedelta(days=3)).date(),
                "estado": "met",
            }
        ],
    }


# --- the workflow path ---------------------------------------------------------------------------


def form_specs() -> dict[tuple[str, str], dict]:
    """The installed national stage form of each (stage, procedure type), as to_ocds takes it.

    Read once (``form_services.form_version_for``), like a new capture would pick it.
    """
    specs = {}
    for stage in Stage:
        for procedure in ProcedureType:
            version = form_services.form_version_for(stage=stage.form, procedure_type=procedure)
            if version is not None:
                specs[str(stage), str(procedure)] = {**version.spec, "stage": version.stage}
    return specs


@dataclass(frozen=True)
class StageRun:
    """What build_stage_release reads of a StageProcess (a model instance costs 0.3 ms to make,
    more than the rest of a release)."""

    contracting_process: ContractingProcess
    stage: str


def contracting_process(plan: Plan) -> ContractingProcess:
    """The unsaved ContractingProcess behind ``plan`` (what process_create would store)."""
    return ContractingProcess(
        entity=plan.entity,
        unit=plan.unit,
        ocid=plan.ocid,
        title=plan.title,
        description=plan.description,
        main_procurement_category=plan.category,
        procedure_type=plan.procedure_type,
        fiscal_year=plan.start.year,
        budget_lines=[
            {"id": partida, "description": "Partida del gasto", "amount": float(amount)}
            for partida, amount in _by_partida(plan).items()
        ],
    )


def plan_releases(plan: Plan, specs: dict) -> list[dict]:
    """The releases the approval of each stage of ``plan`` publishes, in order."""
    process = contracting_process(plan)
    context = CaptureContext(procedure_type=plan.procedure_type, ocid=plan.ocid)
    captures = stage_values(plan)
    dates = [release_date(capture.date) for capture in captures]
    releases, roles = [], {}
    for capture, slot in zip(captures, new_process_slots(ocid=plan.ocid, dates=dates), strict=True):
        spec = specs[capture.stage, plan.procedure_type]
        fragment = to_ocds(spec, capture.values, context=context)
        run = StageRun(contracting_process=process, stage=capture.stage)
        slot = replace(slot, party_roles=roles)
        releases.append(build_stage_release(stage_process=run, fragment=fragment, slot=slot))
        roles = party_roles(releases[-1], roles)
    return releases


def generate(
    *, pairs, processes: int, seed: int, planted: list[PlantedCase] = (), first_serials=None
) -> Iterator[tuple[Plan, list[dict]]]:
    """Each plan with its releases, after the planted cases edited the plans (one process)."""
    plans = planned(
        pairs=pairs, processes=processes, seed=seed, planted=planted, first_serials=first_serials
    )
    specs = form_specs()
    with catalogues.preloaded():
        for plan in plans:
            yield plan, plan_releases(plan, specs)


def planned(*, pairs, processes: int, seed: int, planted=(), first_serials=None) -> list[Plan]:
    plans, rng = make_plans(
        pairs=pairs, processes=processes, seed=seed, first_serials=first_serials
    )
    for case in planted:
        case(plans, rng)
    return plans


def current_serials(pairs) -> dict[int, int]:
    """The last serial of each entity, so a second run continues the ocids instead of clashing."""
    entities = [entity.pk for entity, _unit in pairs]
    return dict(
        OcidCounter.objects.filter(entity_id__in=entities).values_list("entity_id", "last_serial")
    )


# --- hand-described processes (ProcessSpec) -------------------------------------------------------
# The releases a Mexican purchasing unit would publish for one process — planning, tender, award,
# contract, a contract amendment (convenio modificatorio) and implementation with milestones and
# payments — each valid on its own and in order, written directly as OCDS.


LIFECYCLE_STAGES = (
    "planning",
    "tender",
    "award",
    "contract",
    "contractAmendment",
    "implementation",
)


@dataclass
class ProcessSpec:
    """What varies between processes; everything else follows from it."""

    ocid: str
    title: str
    description: str
    items: list[Item]
    supplier: Supplier
    method: str = "open"
    method_details: str = "Licitación pública"
    category: str = "goods"
    start: datetime = datetime.fromisoformat("2025-02-03T10:00:00-06:00")
    stages: tuple[str, ...] = LIFECYCLE_STAGES
    bidders: list[Supplier] = field(default_factory=list)
    paid_fraction: Decimal = Decimal("0.5")

    @property
    def total(self) -> Decimal:
        return sum((item.total for item in self.items), Decimal(0))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _amount(value: Decimal) -> dict:
    return {"amount": float(value), "currency": "MXN"}


def _party(supplier: Supplier, roles: list[str]) -> dict:
    return {
        "id": supplier.party_id,
        "name": supplier.name,
        "identifier": {"scheme": "MX-RFC", "id": supplier.rfc, "legalName": supplier.name},
        "roles": roles,
    }


def _buyer(entity: Entity) -> dict:
    return {
        "id": rfc_party_id(entity.rfc),
        "name": entity.name,
        "identifier": {"scheme": "MX-RFC", "id": entity.rfc, "legalName": entity.name},
        "roles": ["buyer", "procuringEntity"],
    }


def _lifecycle_items(spec: ProcessSpec) -> list[dict]:
    return [
        {
            "id": str(number),
            "description": item.description,
            "classification": {"scheme": "CUCOP", "id": item.cucop},
            "quantity": item.quantity,
            "unit": {"name": item.unit, "value": _amount(item.unit_price)},
        }
        for number, item in enumerate(spec.items, start=1)
    ]


def _document(spec: ProcessSpec, key: str, kind: str, title: str, day: datetime) -> dict:
    # The hash of a file that exists only in this generator: stable, so tests can look for it.
    digest = hashlib.sha256(f"{spec.ocid}/{key}".encode()).hexdigest()
    return {
        "id": f"{spec.ocid}-{key}",
        "documentType": kind,
        "title": title,
        "url": f"https://transparencia.example.gob.mx/{spec.ocid}/{key}.pdf",
        "datePublished": _iso(day),
        "format": "application/pdf",
        "sha256": digest,
    }


def _lifecycle_base(spec: ProcessSpec, entity: Entity, slot, tag: str) -> dict:
    parties = [_buyer(entity)]
    return {
        "ocid": spec.ocid,
        "id": slot.id,
        "date": slot.date,
        "tag": [tag],
        "language": "es",
        "initiationType": "tender",
        "parties": parties,
        "buyer": {"id": parties[0]["id"], "name": entity.name},
    }


def _lifecycle_planning(spec: ProcessSpec, day: datetime) -> dict:
    return {
        "planning": {
            "rationale": f"Necesidad del programa anual de adquisiciones: {spec.title.lower()}.",
            "budget": {
                "description": "Partida 25301 Medicinas y productos farmacéuticos",
                "amount": _amount(spec.total * Decimal("1.1")),
            },
            "documents": [
                _document(spec, "paaas", "procurementPlan", "Programa anual", day),
                _document(spec, "mercado", "marketStudies", "Investigación de mercado", day),
            ],
        }
    }


def _lifecycle_tender(spec: ProcessSpec, day: datetime) -> dict:
    bidders = [spec.supplier, *spec.bidders]
    return {
        "tender": {
            "id": f"{spec.ocid}-tender",
            "title": spec.title,
            "description": spec.description,
            "status": "active",
            "procurementMethod": spec.method,
            "procurementMethodDetails": spec.method_details,
            "mainProcurementCategory": spec.category,
            "value": _amount(spec.total),
            "tenderPeriod": {"startDate": _iso(day), "endDate": _iso(day + timedelta(days=21))},
            "items": _lifecycle_items(spec),
            "numberOfTenderers": len(bidders),
            "tenderers": [{"id": s.party_id, "name": s.name} for s in bidders],
            "documents": [_document(spec, "convocatoria", "tenderNotice", "Convocatoria", day)],
        }
    }


def _lifecycle_award(spec: ProcessSpec, day: datetime) -> dict:
    return {
        "awards": [
            {
                "id": f"{spec.ocid}-award-1",
                "title": "Fallo",
                "status": "active",
                "date": _iso(day),
                "value": _amount(spec.total),
                "suppliers": [{"id": spec.supplier.party_id, "name": spec.supplier.name}],
                "items": _lifecycle_items(spec),
                "documents": [_document(spec, "fallo", "awardNotice", "Acta de fallo", day)],
            }
        ]
    }


def _lifecycle_contract(spec: ProcessSpec, day: datetime, **extra) -> dict:
    contract = {
        "id": f"{spec.ocid}-contract-1",
        "awardID": f"{spec.ocid}-award-1",
        "title": f"Contrato: {spec.title}",
        "status": "active",
        "dateSigned": _iso(day),
        "period": {"startDate": _iso(day), "endDate": _iso(day + timedelta(days=120))},
        "value": _amount(spec.total),
        "items": _lifecycle_items(spec),
        "documents": [_document(spec, "contrato", "contractSigned", "Contrato firmado", day)],
    }
    contract.update(extra)
    return {"contracts": [contract]}


def _lifecycle_amendment(spec: ProcessSpec, day: datetime, contract_day: datetime) -> dict:
    amendment = {
        "id": f"{spec.ocid}-amendment-1",
        "date": _iso(day),
        "rationale": "Ampliación del plazo de entrega por causas no imputables al proveedor.",
        "description": "Convenio modificatorio 1: se amplía la vigencia 30 días.",
    }
    period = {
        "startDate": _iso(contract_day),
        "endDate": _iso(contract_day + timedelta(days=150)),
    }
    return _lifecycle_contract(spec, contract_day, period=period, amendments=[amendment])


def _lifecycle_implementation(
    spec: ProcessSpec, day: datetime, contract_day: datetime, buyer: dict
) -> dict:
    paid = (spec.total * spec.paid_fraction).quantize(Decimal("0.01"))
    implementation = {
        "milestones": [
            {
                "id": "entrega-1",
                "title": "Primera entrega en almacén central",
                "type": "delivery",
                "status": "met",
                "dueDate": _iso(day - timedelta(days=2)),
                "dateMet": _iso(day - timedelta(days=3)),
            },
            {
                "id": "entrega-2",
                "title": "Segunda entrega en unidades médicas",
                "type": "delivery",
                "status": "scheduled",
                "dueDate": _iso(day + timedelta(days=60)),
            },
        ],
        "transactions": [
            {
                "id": f"{spec.ocid}-pago-1",
                "source": "https://transparencia.example.gob.mx/pagos",
                "date": _iso(day),
                "value": _amount(paid),
                "payer": {"id": buyer["id"], "name": buyer["name"]},
                "payee": {"id": spec.supplier.party_id, "name": spec.supplier.name},
            }
        ],
        "documents": [
            _document(spec, "avance", "physicalProgressReport", "Informe de avance", day)
        ],
    }
    period = {
        "startDate": _iso(contract_day),
        "endDate": _iso(contract_day + timedelta(days=150)),
    }
    # Amendments stay in the compiled release from their own release (merged by id).
    extra = {"period": period, "implementation": implementation}
    return _lifecycle_contract(spec, contract_day, **extra)


def lifecycle_releases(*, spec: ProcessSpec, entity: Entity) -> list[dict]:
    """The releases of ``spec.stages`` in order, dated from ``spec.start``."""
    days = {
        "planning": spec.start - timedelta(days=20),
        "tender": spec.start,
        "award": spec.start + timedelta(days=30),
        "contract": spec.start + timedelta(days=37),
        "contractAmendment": spec.start + timedelta(days=60),
        "implementation": spec.start + timedelta(days=80),
    }
    dates = [_iso(days[stage]) for stage in spec.stages]
    slots = new_process_slots(ocid=spec.ocid, dates=dates)
    releases = []
    for stage, slot in zip(spec.stages, slots, strict=True):
        day = days[stage]
        release = _lifecycle_base(spec, entity, slot, stage)
        release.update(_lifecycle_sections(spec, stage, day, days["contract"], release["buyer"]))
        if stage in {"award", "contract", "contractAmendment", "implementation"}:
            release["parties"].append(_party(spec.supplier, ["supplier", "tenderer"]))
        if stage == "tender":
            release["parties"] += [_party(bidder, ["tenderer"]) for bidder in spec.bidders]
            release["parties"].append(_party(spec.supplier, ["tenderer"]))
        releases.append(release)
    return releases


def _lifecycle_sections(
    spec: ProcessSpec, stage, day: datetime, contract_day: datetime, buyer
) -> dict:
    if stage == "planning":
        return _lifecycle_planning(spec, day)
    if stage == "tender":
        return _lifecycle_tender(spec, day)
    if stage == "award":
        return _lifecycle_award(spec, day)
    if stage == "contract":
        return _lifecycle_contract(spec, day)
    if stage == "contractAmendment":
        return _lifecycle_amendment(spec, day, contract_day)
    return _lifecycle_implementation(spec, day, contract_day, buyer)
