"""The filtered contract list as rows for CSV and XLSX (headers in Spanish)."""

import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook


def headers() -> list[str]:
    return [
        _("ocid"),
        _("Contrato"),
        _("Ente"),
        _("Unidad compradora"),
        _("Título"),
        _("Proveedor"),
        _("RFC del proveedor"),
        _("Procedimiento"),
        _("Categoría"),
        _("Estado"),
        _("Con atraso"),
        _("En riesgo"),
        _("Pagado antes de las entregas"),
        _("Pagado de más"),
        _("Modificado más allá del límite"),
        _("Moneda"),
        _("Monto original"),
        _("Monto vigente"),
        _("Pagado"),
        _("Avance físico"),
        _("Avance financiero"),
        _("Convenios"),
        _("Aumento del monto"),
        _("Aumento del plazo"),
        _("Inicio"),
        _("Fin"),
        _("Días al fin"),
        _("Días de atraso"),
        _("Grado de atraso"),
        _("Entregas"),
        _("Entregas cumplidas"),
        _("Entregas tardías"),
        _("Vencimiento de garantía"),
        _("Aviso de garantía"),
        _("Penas y deducciones"),
        _("Calculado para"),
    ]


def _yes(value: bool) -> str:
    return _("sí") if value else _("no")


def row(c) -> list:
    return [
        c.ocid,
        c.contract_id,
        c.entity.key,
        c.unit.key if c.unit else "",
        c.title,
        c.supplier_name,
        c.supplier_rfc,
        c.procurement_method,
        c.category,
        c.get_status_display(),
        _yes(c.overdue),
        _yes(c.at_risk),
        _yes(c.paid_ahead),
        _yes(c.overpaid),
        _yes(c.over_amended),
        c.currency,
        c.original_amount,
        c.amount,
        c.paid,
        c.physical,
        c.financial,
        c.amendments,
        c.value_increase,
        c.period_increase,
        c.start,
        c.end,
        c.days_to_end,
        c.days_overdue,
        c.get_overdue_grade_display() if c.overdue_grade else "",
        c.milestones,
        c.milestones_met,
        c.late_deliveries,
        c.guarantee_expiry,
        c.guarantee_warning,
        c.penalties_amount,
        c.assessed_on,
    ]


def lines(contracts: Iterable) -> Iterator[list]:
    yield headers()
    for contract in contracts.iterator(chunk_size=2000):
        yield row(contract)


def workbook(contracts) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Contratos"))
    for line in lines(contracts):
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
