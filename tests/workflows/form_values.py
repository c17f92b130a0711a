"""What a capturista types in each stage form (keys of the shipped form definitions)."""

from datetime import datetime, timedelta

MXN = "MXN"
TENDER_START = datetime(2026, 2, 2, 9, 0)


def money(amount):
    return {"amount": str(amount), "currency": MXN}


def items():
    return [{"descripcion": "Paracetamol tabletas de 500 mg, caja con 10", "cantidad": "12000"}]


def planning():
    return {
        "justificacion": "Abasto de analgésicos para el primer semestre.",
        "montoPresupuesto": money(250000),
        "programa": "E001 Atención a la salud",
    }


def tender(method, *, days=21, reduction=""):
    values = {
        "titulo": "Paracetamol para unidades médicas",
        "descripcion": "Compra de analgésicos para el primer semestre.",
        "categoria": "goods",
        "montoEstimado": money(222000),
        "partidas": items(),
    }
    if method == "direct":
        values["fundamento"] = "LAASSP-41-III"
        return values
    values["inicioPropuestas"] = TENDER_START.strftime("%Y-%m-%dT%H:%M")
    values["finPropuestas"] = (TENDER_START + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
    if method == "selective":
        values["invitados"] = [
            {"nombre": "Medicamentos Mexicanos, S.A. de C.V.", "rfc": "MME920427EM3"},
            {"nombre": "Farmacéutica del Bajío, S.A. de C.V.", "rfc": "FAR010101AB1"},
            {"nombre": "Distribuidora Norte, S.A.", "rfc": "DIS020202CD2"},
        ]
    return values


def award(bids=()):
    values = {
        "titulo": "Fallo",
        "fechaFallo": "2026-03-20T12:00",
        "monto": money(221500),
        "proveedores": [{"nombre": "Medicamentos Mexicanos, S.A. de C.V.", "rfc": "MME920427EM3"}],
    }
    if bids:
        values["proposiciones"] = list(bids)
    return values


def bid(name, rfc, amount, status, reason=""):
    return {
        "rfc": rfc,
        "nombre": name,
        "monto": money(amount),
        "estado": status,
        "motivo": reason,
    }


DISQUALIFIED_REASON = "No acreditó la experiencia mínima de tres años (numeral 4.2)."


def bids():
    """One solvent bid (the winner) and one disqualified with its reason."""
    return [
        bid("Medicamentos Mexicanos, S.A. de C.V.", "MME920427EM3", 221500, "valid"),
        bid(
            "Farmacéutica del Bajío, S.A. de C.V.",
            "FAR010101AB1",
            199000,
            "disqualified",
            DISQUALIFIED_REASON,
        ),
    ]


def clarification_meeting():
    return {"juntas": [{"fecha": "2026-02-09T10:00"}]}


def contract():
    return {
        "titulo": "Contrato de suministro de paracetamol",
        "monto": money(221500),
        "fechaFirma": "2026-03-23",
        "inicio": "2026-03-24",
        "fin": "2026-06-30",
    }


def implementation(number=1):
    return {
        "pagos": [
            {
                "fecha": f"2026-04-{10 + number:02d}",
                "importe": money(55375),
                "beneficiario": "Medicamentos Mexicanos, S.A. de C.V.",
                "rfcBeneficiario": "MME920427EM3",
                "cfdi": f"5FB2822E-396D-4725-8521-CDC4BDD20C{number:02d}",
            }
        ],
        "entregas": [{"titulo": f"Entrega {number}", "fechaCumplido": f"2026-04-0{number}"}],
    }


def contract_amendment():
    return {
        "convenios": [
            {
                "fecha": "2026-05-02T10:00",
                "motivo": "Incremento del 20 % en cantidades (LAASSP art. 52).",
            }
        ],
        "nuevoMonto": money(265800),
        "nuevoFin": "2026-07-31",
    }


def tender_amendment():
    return {
        "modificaciones": [
            {"fecha": "2026-02-10T10:00", "motivo": "Junta de aclaraciones: se amplía el plazo."}
        ],
        "nuevoFin": "2026-02-26T09:00",
    }


def reason(text):
    return {"motivo": text}
