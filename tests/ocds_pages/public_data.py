"""A small published dataset for the public-site tests: five processes of two entities, through
``publish_releases`` (so projections, records and signals are the real ones)."""

from datetime import datetime
from decimal import Decimal

from django.conf import settings

from devtools.generator import Item, ProcessSpec, Supplier, lifecycle_releases
from ocds_pages.publication import publish_releases
from tests.ocds_pages.factories import make_entity, make_unit

MEDICAMENTOS = Supplier("MME920427EM3", "Medicamentos Mexicanos, S.A. de C.V.")
LIMPIEZA = Supplier("LOP100101AB1", "Limpieza Óptima del Centro, S.C.")
CONSTRUCTORA = Supplier("CPE050505XY2", "Constructora Pérez y Asociados, S.A. de C.V.")
BIDDER = Supplier("FGE990909QW3", "Farmacéutica del Golfo, S.A. de C.V.")


def ocid(entity, serial: int) -> str:
    return f"{settings.OCID_PREFIX}-{entity.key}-{serial:06d}"


def _specs(imss, sct):
    return [
        (
            imss,
            ProcessSpec(
                ocid=ocid(imss, 1),
                title="Adquisición de medicamentos genéricos para el primer semestre",
                description="Licitación pública nacional electrónica para abastecer unidades.",
                items=[
                    Item(
                        "Paracetamol tabletas de 500 mg, caja con 10",
                        "25300002",
                        12000,
                        "Caja",
                        Decimal("18.50"),
                    ),
                    Item(
                        "Amoxicilina cápsulas de 500 mg, caja con 12",
                        "25300011",
                        8000,
                        "Caja",
                        Decimal("42.00"),
                    ),
                ],
                supplier=MEDICAMENTOS,
                bidders=[BIDDER],
                paid_fraction=Decimal("0.45"),
            ),
        ),
        (
            imss,
            ProcessSpec(
                ocid=ocid(imss, 2),
                title="Servicio de limpieza integral en hospitales",
                description="Invitación a cuando menos tres personas para el servicio de limpieza.",
                items=[
                    Item(
                        "Servicio mensual de limpieza", "82100001", 12, "Servicio", Decimal("95000")
                    )
                ],
                supplier=LIMPIEZA,
                method="selective",
                method_details="Invitación a cuando menos tres personas",
                category="services",
                start=datetime.fromisoformat("2024-05-06T10:00:00-06:00"),
                stages=("tender", "award", "contract"),
            ),
        ),
        (
            sct,
            ProcessSpec(
                ocid=ocid(sct, 1),
                title="Pavimentación de la carretera federal tramo Oaxaca–Mitla",
                description="Obra pública a precios unitarios.",
                items=[Item("Carpeta asfáltica de 5 cm", "72141101", 40000, "m2", Decimal("310"))],
                supplier=CONSTRUCTORA,
                category="works",
                start=datetime.fromisoformat("2025-04-07T10:00:00-06:00"),
                stages=("planning", "tender", "award"),
            ),
        ),
        (
            sct,
            ProcessSpec(
                ocid=ocid(sct, 2),
                title="Computadoras portátiles para oficinas regionales",
                description="Adquisición de equipo de cómputo.",
                items=[
                    Item(
                        "Computadora portátil de 14 pulgadas",
                        "51100003",
                        150,
                        "Pieza",
                        Decimal("17500"),
                    )
                ],
                supplier=MEDICAMENTOS,
                method="direct",
                method_details="Adjudicación directa",
                start=datetime.fromisoformat("2024-09-02T10:00:00-06:00"),
                stages=("planning", "tender"),
            ),
        ),
        (
            sct,
            ProcessSpec(
                ocid=ocid(sct, 3),
                title="Botiquines de primeros auxilios para centros SICT",
                description="Adjudicación directa de botiquines.",
                items=[
                    Item("Botiquín de primeros auxilios", "42170000", 300, "Pieza", Decimal("850"))
                ],
                supplier=MEDICAMENTOS,
                method="direct",
                method_details="Adjudicación directa",
                start=datetime.fromisoformat("2025-06-02T10:00:00-06:00"),
                stages=("tender", "award", "contract"),
            ),
        ),
    ]


def publish_public_dataset() -> dict:
    """Publish the five processes; returns the entities, their units and the ocids by name."""
    imss = make_entity()
    sct = make_entity(
        key="SICT",
        name="Secretaría de Infraestructura, Comunicaciones y Transportes",
        rfc="SCT850101AB1",
    )
    units = {
        "imss": make_unit(entity=imss),
        "sct": make_unit(entity=sct, key="009000987", name="Dirección de Obras"),
    }
    for entity, spec in _specs(imss, sct):
        unit = units["imss"] if entity == imss else units["sct"]
        publish_releases(
            releases=lifecycle_releases(spec=spec, entity=entity), entity=entity, unit=unit
        )
    return {
        "imss": imss,
        "sct": sct,
        "units": units,
        "medicamentos": ocid(imss, 1),
        "limpieza": ocid(imss, 2),
        "carretera": ocid(sct, 1),
        "computadoras": ocid(sct, 2),
        "botiquines": ocid(sct, 3),
    }
