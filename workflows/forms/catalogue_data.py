"""Catalogue rows shipped with the system (editors extend them in the admin).

Also the CSV reader of the CUCoP, shared by ``manage.py importar_cucop`` and the data migration.
"""

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

CUCOP_SAMPLE = Path(__file__).resolve().parent / "data" / "cucop_muestra.csv"

# UN/CEFACT Recommendation 20 codes (OCDS unit.scheme "UNCEFACT").
UNITS = [
    ("H87", "Pieza"),
    ("XBX", "Caja"),
    ("XPK", "Paquete"),
    ("KGM", "Kilogramo"),
    ("GRM", "Gramo"),
    ("LTR", "Litro"),
    ("MLT", "Mililitro"),
    ("MTR", "Metro"),
    ("MTK", "Metro cuadrado"),
    ("MTQ", "Metro cúbico"),
    ("KMT", "Kilómetro"),
    ("E48", "Servicio"),
    ("HUR", "Hora"),
    ("DAY", "Día"),
    ("MON", "Mes"),
    ("ANN", "Año"),
    ("SET", "Juego"),
    ("PR", "Par"),
    ("XRO", "Rollo"),
    ("XBO", "Botella"),
    ("XVI", "Frasco"),
    ("XTU", "Tubo"),
    ("XSA", "Saco"),
    ("TNE", "Tonelada"),
    ("KWH", "Kilowatt hora"),
    ("ACT", "Actividad"),
    ("XLT", "Lote"),
    ("C62", "Unidad"),
]

ROMAN = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
]
# Summaries of the grounds for not holding a public tender (LAASSP art. 41 and 42; LOPSRM art. 42
# and 43), as published in the Diario Oficial de la Federación. The official text prevails.
LAASSP_41 = [
    "No existen bienes o servicios alternativos o sustitutos técnicamente razonables, o se trata "
    "de una persona que posee la titularidad o el licenciamiento exclusivo de patentes, derechos "
    "de autor u otros derechos exclusivos.",
    "Peligra o se altera el orden social, la economía, los servicios públicos, la salubridad, la "
    "seguridad o el ambiente de alguna zona o región del país por caso fortuito o fuerza mayor.",
    "Existen circunstancias que pueden provocar pérdidas o costos adicionales importantes, "
    "cuantificados y justificados.",
    "Se realicen con fines exclusivamente militares o para la armada, o sean necesarias para "
    "garantizar la seguridad interior de la nación.",
    "Derivado de caso fortuito o fuerza mayor no es posible obtener bienes o servicios mediante "
    "licitación pública en el tiempo requerido para atender la eventualidad.",
    "Se haya rescindido un contrato adjudicado a través de licitación pública; se adjudica al "
    "licitante que haya obtenido el segundo lugar.",
    "Se haya declarado desierta una licitación pública, siempre que se mantengan los requisitos "
    "establecidos en la convocatoria.",
    "Existan razones justificadas para la adquisición o arrendamiento de bienes de marca "
    "determinada.",
    "Se trate de adquisiciones de bienes perecederos, granos y productos alimenticios básicos o "
    "semiprocesados, semovientes.",
    "Se trate de servicios de consultorías, asesorías, estudios o investigaciones cuya difusión "
    "pudiera afectar al interés público o comprometer información de naturaleza confidencial.",
    "Se trate de trabajos de mantenimiento de bienes en los que no sea posible precisar su "
    "alcance, establecer las cantidades de trabajo o determinar las especificaciones.",
    "Se trate de la adquisición de bienes que se destinen exclusivamente para la "
    "comercialización directa o para someterlos a procesos productivos.",
    "Se trate de adquisiciones de bienes provenientes de personas que, sin ser proveedores "
    "habituales, ofrezcan bienes en condiciones excepcionalmente favorables (liquidación o "
    "disolución).",
    "Se trate de servicios prestados por una persona física, siempre que éstos sean realizados "
    "por ella misma sin requerir de la utilización de más de un especialista o técnico.",
    "Se trate de servicios de mantenimiento, conservación, restauración y reparación de bienes "
    "en los que no sea posible precisar su alcance.",
    "El objeto del contrato sea el diseño y fabricación de un bien que sirva como prototipo.",
    "Se trate de equipos especializados, sustancias y materiales de origen químico, físico "
    "químico o bioquímico para utilizarse en actividades experimentales.",
    "Se acredite la existencia de proveedores de bienes o prestadores de servicios "
    "pertenecientes a micro, pequeñas y medianas empresas, en los términos de la ley.",
    "Se trate de la suscripción de contratos específicos que deriven de un contrato marco.",
    "Se trate de la contratación de servicios con campesinos o grupos urbanos marginados, "
    "en los términos de la ley.",
]
LOPSRM_42 = [
    "El contrato sólo puede celebrarse con una determinada persona por tratarse de obras de arte, "
    "titularidad de patentes, derechos de autor u otros derechos exclusivos.",
    "Peligra o se altera el orden social, la economía, los servicios públicos, la salubridad, la "
    "seguridad o el ambiente de alguna zona o región del país por caso fortuito o fuerza mayor.",
    "Existen circunstancias que pueden provocar pérdidas o costos adicionales importantes, "
    "cuantificados y justificados.",
    "Se realicen con fines exclusivamente militares o para la armada, o sean necesarias para "
    "garantizar la seguridad interior de la nación.",
    "Derivado de caso fortuito o fuerza mayor no es posible ejecutar los trabajos mediante "
    "licitación pública en el tiempo requerido para atender la eventualidad.",
    "Se haya rescindido un contrato adjudicado a través de licitación pública; se adjudica al "
    "licitante que haya obtenido el segundo lugar.",
    "Se haya declarado desierta una licitación pública, siempre que se mantengan los requisitos "
    "establecidos en la convocatoria.",
    "Se trate de trabajos de mantenimiento, restauración, reparación y demolición de inmuebles en "
    "los que no sea posible precisar su alcance o determinar las especificaciones.",
    "Se trate de trabajos que requieran fundamentalmente de mano de obra campesina o urbana "
    "marginada, contratada directamente con los habitantes de la localidad.",
    "Se trate de servicios relacionados con las obras públicas prestados por una persona física, "
    "realizados por ella misma.",
    "Se trate de servicios de consultorías, asesorías, estudios o investigaciones cuya difusión "
    "pudiera afectar al interés público o comprometer información de naturaleza confidencial.",
    "Se acepte la ejecución de los trabajos a título de dación en pago.",
    "Se trate de obras o servicios que por razones técnicas o de seguridad sólo pueden ser "
    "ejecutados por una persona determinada.",
    "Se trate de trabajos con objeto de atender emergencias derivadas de desastres naturales.",
]
JUSTIFICATIONS = [
    *[("LAASSP", "41", ROMAN[i], text) for i, text in enumerate(LAASSP_41)],
    (
        "LAASSP",
        "42",
        "",
        "El importe de cada operación no excede los montos máximos que establece "
        "el Presupuesto de Egresos de la Federación para la adjudicación directa.",
    ),
    *[("LOPSRM", "42", ROMAN[i], text) for i, text in enumerate(LOPSRM_42)],
    (
        "LOPSRM",
        "43",
        "",
        "El importe de cada obra o servicio no excede los montos máximos que "
        "establece el Presupuesto de Egresos de la Federación para la adjudicación directa.",
    ),
]

# Spanish name → OCDS documentType code.
DOCUMENT_TYPES = [
    ("Programa anual de adquisiciones", "procurementPlan"),
    ("Estudio de mercado", "marketStudies"),
    ("Suficiencia presupuestal", "plannedProcurementNotice"),
    ("Convocatoria", "tenderNotice"),
    ("Bases técnicas y anexos", "technicalSpecifications"),
    ("Criterios de evaluación", "evaluationCriteria"),
    ("Acta de junta de aclaraciones", "clarifications"),
    ("Acta de presentación y apertura de proposiciones", "evaluationReports"),
    ("Dictamen de excepción a la licitación", "evaluationReports"),
    ("Acta de fallo", "awardNotice"),
    ("Contrato firmado", "contractSigned"),
    ("Anexos del contrato", "contractAnnexe"),
    ("Garantía de cumplimiento", "contractGuarantees"),
    ("Convenio modificatorio", "contractAnnexe"),
    ("Aviso de cancelación", "cancellationDetails"),
    ("Acta de entrega-recepción", "completionCertificate"),
    ("Reporte de avance", "physicalProgressReport"),
    ("Comprobante fiscal de pago (CFDI)", "financialProgressReport"),
]

CUCOP_COLUMNS = {
    "code": ("clave", "clave cucop", "cucop", "code"),
    "description": ("descripcion", "descripción", "description", "descripcion cucop"),
    "expense_item": ("partida", "partida especifica", "partida específica", "expense_item"),
}


class CucopFormatError(ValueError):
    """The CSV lacks the columns the CUCoP import needs."""


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    normalised = [h.strip().lower() for h in header]
    for name in names:
        if name in normalised:
            return normalised.index(name)
    return None


def read_cucop_csv(path: Path) -> Iterable[dict]:
    """Rows {code, description, expense_item} of a UTF-8 CSV with a header row."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        columns = {key: _column(header, names) for key, names in CUCOP_COLUMNS.items()}
        if columns["code"] is None or columns["description"] is None:
            raise CucopFormatError(header)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            yield {
                key: (row[index].strip() if index is not None and index < len(row) else "")
                for key, index in columns.items()
            }


def import_cucop(model, rows: Iterable[dict], *, progress: Callable[[int], None] | None = None):
    """Create or update CUCoP rows by code; returns (created, updated, rejected list)."""
    created = updated = 0
    rejected = []
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        code = row["code"]
        if not (code.isdigit() and 5 <= len(code) <= 10) or not row["description"]:
            rejected.append((number, code))
            continue
        _obj, was_created = model.objects.update_or_create(
            code=code,
            defaults={
                "description": row["description"][:400],
                "expense_item": (row.get("expense_item") or "")[:5],
                "active": True,
            },
        )
        created, updated = created + was_created, updated + (not was_created)
        if progress and (created + updated) % 100 == 0:
            progress(created + updated)
    return created, updated, rejected


def load_catalogues(cucop, units, justifications, document_types) -> None:
    """Install the shipped catalogue rows (idempotent); models are passed in for migrations."""
    import_cucop(cucop, read_cucop_csv(CUCOP_SAMPLE))
    for code, name in UNITS:
        units.objects.update_or_create(code=code, defaults={"name": name})
    for law, article, fraction, summary in JUSTIFICATIONS:
        code = "-".join(part for part in (law, article, fraction) if part)
        justifications.objects.update_or_create(
            code=code,
            defaults={"law": law, "article": article, "fraction": fraction, "summary": summary},
        )
    for name, ocds_code in DOCUMENT_TYPES:
        document_types.objects.update_or_create(name=name, defaults={"ocds_code": ocds_code})
