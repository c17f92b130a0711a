"""Demo processes for a new installation, made through the real workflow (development only).

Every process is created, captured with the shipped stage forms, reviewed by another person and
published exactly as staff would do it on the screens (process_services + the form engine), so
the public site and the API have data in every stage and every procedure type. Needs the people of
``devtools.demo_entities.load_demo`` (capturista.<ente> and aprobador.<ente>).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from cms.models import Entity
from workflows.base.procedures import Stage, procurement_method
from workflows.forms.forms_engine import CaptureContext, data_from_values
from workflows.processes import process_services
from workflows.processes.process_models import ContractingProcess, StageProcess


@dataclass(frozen=True)
class Purchase:
    """What one demo process buys, from whom."""

    title: str
    item: str
    quantity: int
    amount: int
    supplier: str
    rfc: str
    category: str = "goods"


BIDDERS = [
    ("Farmacéutica del Bajío, S.A. de C.V.", "FAR010101AB1"),
    ("Distribuidora Norte, S.A. de C.V.", "DIS020202CD2"),
]
START = datetime(2026, 2, 2, 9, 0)
DEMO_JUSTIFICATION = "Demostración: se aprueba para mostrar la alerta al órgano interno de control."


def _money(amount) -> dict:
    return {"amount": str(amount), "currency": "MXN"}


def _at(days: int, fmt="%Y-%m-%dT%H:%M") -> str:
    return (START + timedelta(days=days)).strftime(fmt)


def planning_values(p: Purchase) -> dict:
    return {
        "justificacion": f"Necesidad de {p.item.lower()} para el ejercicio 2026.",
        "montoPresupuesto": _money(round(p.amount * 1.1)),
        "programa": "Programa presupuestario E001",
    }


def tender_values(p: Purchase, method: str, days: int) -> dict:
    values = {
        "titulo": p.title,
        "descripcion": f"Contratación de {p.item.lower()}.",
        "categoria": p.category,
        "montoEstimado": _money(p.amount),
        "partidas": [{"descripcion": p.item, "cantidad": str(p.quantity)}],
    }
    if method == "direct":
        values["fundamento"] = "LAASSP-41-III"
        return values
    values["inicioPropuestas"] = _at(0)
    values["finPropuestas"] = _at(days)
    if method == "selective":
        values["invitados"] = [
            {"nombre": name, "rfc": rfc} for name, rfc in [(p.supplier, p.rfc), *BIDDERS]
        ]
    return values


# A second bidder whose proposal is disqualified, so competitive demo awards show both outcomes.
RIVAL = ("Comercializadora Ejemplo del Norte, S.A. de C.V.", "CEN070707GH7")


def _award(p: Purchase, days: int) -> dict:
    """The fallo; the bids group is only shown (and only read) in competitive procedures."""
    rival_name, rival_rfc = RIVAL
    return {
        "titulo": f"Fallo: {p.title}",
        "fechaFallo": _at(days + 5),
        "monto": _money(p.amount),
        "proveedores": [{"nombre": p.supplier, "rfc": p.rfc}],
        "proposiciones": [
            {"rfc": p.rfc, "nombre": p.supplier, "monto": _money(p.amount), "estado": "valid"},
            {
                "rfc": rival_rfc,
                "nombre": rival_name,
                "monto": _money(p.amount * 9 // 10),
                "estado": "disqualified",
                "motivo": "No presentó la garantía de seriedad de la proposición.",
            },
        ],
    }


def _contract(p: Purchase, days: int) -> dict:
    return {
        "titulo": f"Contrato: {p.title}",
        "monto": _money(p.amount),
        "fechaFirma": _at(days + 8, "%Y-%m-%d"),
        "inicio": _at(days + 9, "%Y-%m-%d"),
        "fin": _at(days + 150, "%Y-%m-%d"),
    }


def _cfdi(p: Purchase, number: int) -> str:
    """A folio fiscal (UUID) of the supplier's CFDI for payment ``number``, the same every run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{p.rfc}/{p.title}/{number}")).upper()


def _implementation(p: Purchase, days: int, number: int) -> dict:
    return {
        "pagos": [
            {
                "fecha": _at(days + 30 * number, "%Y-%m-%d"),
                "importe": _money(p.amount // 4),
                "beneficiario": p.supplier,
                "rfcBeneficiario": p.rfc,
                "cfdi": _cfdi(p, number),
            }
        ],
        "entregas": [
            {
                "titulo": f"Entrega {number}",
                "fechaCompromiso": _at(days + 25 * number, "%Y-%m-%d"),
                "fechaCumplido": _at(days + 24 * number, "%Y-%m-%d"),
            }
        ],
    }


def _amendment(p: Purchase, days: int) -> dict:
    return {
        "convenios": [
            {
                "fecha": _at(days + 60),
                "motivo": "Ampliación del 15 % en cantidades (LAASSP art. 52).",
            }
        ],
        "nuevoMonto": _money(round(p.amount * 1.15)),
        "nuevoFin": _at(days + 180, "%Y-%m-%d"),
    }


class Demo:
    """Moves demo processes of one entity through the screens' service functions."""

    def __init__(self, entity: Entity):
        users = get_user_model().objects
        slug = entity.key.lower()
        self.entity = entity
        self.unit = entity.units.order_by("pk").first()
        self.capturista = users.get(username=f"capturista.{slug}")
        self.aprobador = users.get(username=f"aprobador.{slug}")

    def create(self, p: Purchase, procedure_type: str, replaces=None) -> ContractingProcess:
        if replaces is not None:
            return process_services.process_replace(process=replaces, user=self.capturista)
        return process_services.process_create(
            user=self.capturista,
            unit=self.unit,
            title=p.title,
            description=f"Contratación de {p.item.lower()}.",
            main_procurement_category=p.category,
            procedure_type=procedure_type,
            fiscal_year=2026,
            budget_lines=[{"id": "25301", "description": "Partida del gasto", "amount": p.amount}],
        )

    def _run(self, process, stage) -> StageProcess:
        return process.stage_runs.filter(stage=stage).latest("pk")

    def capture(self, process, stage, values, *, submit=True):
        if (
            stage != Stage.PLANNING
            and not process.stage_runs.filter(stage=stage, finished__isnull=True).exists()
        ):
            process_services.stage_start(process=process, stage=stage, user=self.capturista)
        run = self._run(process, stage)
        context = CaptureContext(procedure_type=process.procedure_type)
        data = data_from_values(run.stage_draft.version, values, context=context)
        task = process_services.active_task(run)
        if not submit:
            return process_services.capture_save_form(task=task, user=self.capturista, data=data)
        form, issues = process_services.capture_submit_form(
            task=task, user=self.capturista, data=data
        )
        if not form.is_valid() or issues:
            raise ValueError(f"{stage}: {form.errors} {issues}")
        return form

    def approve(self, process, stage):
        """Approve as the screen does; blocking integrity findings (the mirrors already hold the
        registries, e.g. a second load) are justified the way an approver must."""
        task = process_services.active_task(self._run(process, stage))
        try:
            with transaction.atomic():
                return process_services.review_approve(task=task, user=self.aprobador)
        except process_services.IntegrityBlocked as blocked:
            justifications = {
                process_services.finding_key(f): DEMO_JUSTIFICATION for f in blocked.missing
            }
            return process_services.review_approve(
                task=task, user=self.aprobador, justifications=justifications
            )

    def give_back(self, process, stage, reason):
        run = self._run(process, stage)
        process_services.review_return(
            task=process_services.active_task(run), user=self.aprobador, reason=reason
        )

    def stage(self, process, stage, values):
        self.capture(process, stage, values)
        self.approve(process, stage)

    def to_contract(self, p: Purchase, procedure_type: str, days: int, *, upto=Stage.CONTRACT):
        method = procurement_method(procedure_type)
        process = self.create(p, procedure_type)
        steps = [
            (Stage.PLANNING, planning_values(p)),
            (Stage.TENDER, tender_values(p, method, days)),
            (Stage.AWARD, _award(p, days)),
            (Stage.CONTRACT, _contract(p, days)),
        ]
        for stage, values in steps:
            self.stage(process, stage, values)
            if stage == upto:
                break
        return process


IMSS = [
    Purchase("Paracetamol 500 mg para unidades médicas", "Paracetamol tabletas 500 mg, caja con 10",
             12000, 222000, "Medicamentos Mexicanos, S.A. de C.V.", "MME920427EM3"),
    Purchase("Material de curación 2026", "Gasas estériles 10 x 10 cm, paquete con 100",
             3000, 480000, "Insumos Médicos del Centro, S.A. de C.V.", "IMC050505EF5"),
    Purchase("Servicio de mantenimiento a equipo de rayos X", "Mantenimiento preventivo anual",
             1, 950000, "Servicios Biomédicos, S.A. de C.V.", "SBI070707GH7", "services"),
]  # fmt: skip
SICT = [
    Purchase("Conservación del tramo carretero Guadalajara–Tepic", "Bacheo y sello, km 10 al 40",
             1, 18500000, "Constructora del Pacífico, S.A. de C.V.", "CPA990101JK9", "works"),
    Purchase("Señalamiento horizontal en autopistas federales", "Pintura de tráfico, km lineal",
             250, 3200000, "Señales Viales, S.A. de C.V.", "SVI880808LM1", "works"),
]  # fmt: skip
SEPJAL = [
    Purchase("Mobiliario escolar para secundarias", "Pupitre individual de paleta",
             2500, 1875000, "Muebles Escolares de Occidente, S.A. de C.V.", "MEO020202NP3"),
    Purchase("Servicio de limpieza en oficinas centrales", "Servicio mensual de limpieza",
             12, 720000, "Limpieza Integral Jalisco, S.A. de C.V.", "LIJ030303QR5", "services"),
    Purchase("Equipo de cómputo para aulas", "Computadora de escritorio",
             400, 5200000, "Tecnología Educativa, S.A. de C.V.", "TED040404ST7"),
]  # fmt: skip


def _imss(demo: Demo) -> int:
    direct = demo.to_contract(IMSS[0], "adjudicacion_directa", 0)
    demo.stage(direct, Stage.IMPLEMENTATION, _implementation(IMSS[0], 0, 1))
    demo.stage(direct, Stage.CONTRACT_AMENDMENT, _amendment(IMSS[0], 0))
    demo.stage(direct, Stage.IMPLEMENTATION_UPDATE, _implementation(IMSS[0], 0, 2))
    tender = demo.to_contract(IMSS[1], "lp_nacional", 16, upto=Stage.TENDER)
    demo.stage(tender, Stage.CLARIFICATION_MEETING, {"juntas": [{"fecha": _at(6)}]})
    demo.stage(
        tender,
        Stage.TENDER_AMENDMENT,
        {
            "modificaciones": [{"fecha": _at(7), "motivo": "Precisiones de la junta."}],
            "nuevoFin": _at(18),
        },
    )
    demo.stage(tender, Stage.AWARD, _award(IMSS[1], 18))
    demo.capture(tender, Stage.CONTRACT, _contract(IMSS[1], 18), submit=False)
    invitation = demo.to_contract(IMSS[2], "invitacion3", 10, upto=Stage.PLANNING)
    demo.capture(invitation, Stage.TENDER, tender_values(IMSS[2], "selective", 10))
    return 3


def _sict(demo: Demo) -> int:
    unsuccessful = demo.to_contract(SICT[0], "lp_internacional", 21, upto=Stage.TENDER)
    demo.stage(
        unsuccessful,
        Stage.TENDER_UNSUCCESSFUL,
        {"motivo": "Ninguna proposición cumplió los requisitos técnicos (LAASSP art. 38)."},
    )
    replacement = demo.create(SICT[0], "lp_internacional", replaces=unsuccessful)
    demo.capture(replacement, Stage.PLANNING, planning_values(SICT[0]), submit=False)
    cancelled = demo.to_contract(SICT[1], "lp_tratados", 40, upto=Stage.TENDER)
    demo.stage(
        cancelled,
        Stage.TENDER_CANCELLATION,
        {"motivo": "Caso fortuito: se modificó el proyecto ejecutivo (LAASSP art. 38)."},
    )
    return 3


def _sepjal(demo: Demo) -> int:
    award = demo.to_contract(SEPJAL[0], "adjudicacion_directa", 0, upto=Stage.AWARD)
    demo.stage(
        award,
        Stage.AWARD_CANCELLATION,
        {"motivo": "El proveedor no presentó la garantía de cumplimiento."},
    )
    terminated = demo.to_contract(SEPJAL[1], "invitacion3", 10)
    demo.stage(terminated, Stage.IMPLEMENTATION, _implementation(SEPJAL[1], 10, 1))
    demo.stage(
        terminated,
        Stage.CONTRACT_TERMINATION,
        {"motivo": "Terminación anticipada por causas de interés general."},
    )
    returned = demo.create(SEPJAL[2], "adjudicacion_directa")
    demo.capture(returned, Stage.PLANNING, planning_values(SEPJAL[2]))
    demo.give_back(returned, Stage.PLANNING, "Adjunte el oficio de suficiencia presupuestal.")
    return 3


LOADERS = {"IMSS": _imss, "SICT": _sict, "SEPJAL": _sepjal}


@transaction.atomic
def load_demo_processes() -> int:
    """Create the demo processes (once: entities that already have processes are skipped).

    Returns how many processes were started (a desierta's replacement included). The planted
    integrity cases build on these (``devtools.demo_alerts.load_planted_cases``).
    """
    created = 0
    for key, loader in LOADERS.items():
        entity = Entity.objects.filter(key=key).first()
        if entity is None or ContractingProcess.objects.filter(entity=entity).exists():
            continue
        created += loader(Demo(entity))
    return created
