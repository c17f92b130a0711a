"""The market-research report: its data part, and the PDF and XLSX made from it (Spanish).

``report_data`` gathers what the report says — the need, the sources and search terms, the price
basket with the rows used and the rows left out (with the reason for each), the method and the
reference price, the candidate suppliers and their screening — as plain JSON values in a fixed
order. Its SHA-256 (``data_digest``) is printed in both files and stored with the report: the same
inputs give the same data part, so a regenerated report can be checked against the first.
"""

import hashlib
import io
from decimal import Decimal

import orjson
from django.utils.translation import gettext as _
from openpyxl import Workbook

from indicadores.market import pdf
from indicadores.market.models import MarketStudy
from indicadores.market.selectors import Basket
from indicadores.market.statistics import METHODS, MIN_PRICES
from indicadores.market.templatetags.mercado import search_text


def _num(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.0001")))


def _row(row) -> dict:
    status = "excluded" if row.excluded else "outlier" if row.outlier else "used"
    return {
        "ocid": row.ocid,
        "date": row.date.isoformat() if row.date else None,
        "classification": row.classification_id,
        "description": row.description,
        "quantity": _num(row.quantity),
        "unit": row.unit_name,
        "published_price": _num(row.unit_price),
        "price": _num(row.price),
        "currency": row.currency or "MXN",
        "supplier": row.supplier_name,
        "supplier_rfc": row.supplier_rfc,
        "buyer": row.buyer_name,
        "state": row.state,
        "source": row.values["dataset__name"] or _("Esta instalación"),
        "status": status,
        "reason": row.excluded
        or (_("Atípico: fuera de las vallas de Tukey") if row.outlier else ""),
    }


def _candidate(candidate) -> dict:
    findings = candidate.screening.findings if candidate.screening else []
    return {
        "name": candidate.name,
        "rfc": candidate.rfc,
        "contracts": candidate.contracts,
        "buyers": candidate.buyers,
        "amount": _num(candidate.amount),
        "median_price": _num(candidate.median_price),
        "price_position": candidate.price_position,
        "score": str(candidate.score),
        "score_explanation": candidate.score_explanation,
        "excluded": candidate.excluded,
        "findings": [
            {"code": f.code, "severity": f.severity, "explanation": f.explanation} for f in findings
        ],
        "registries_without_data": candidate.screening.unavailable if candidate.screening else [],
    }


def report_data(study: MarketStudy, basket: Basket) -> dict:
    """The data part of the report, in a fixed order (no clock, no database ids)."""
    reference, summary = basket.reference, basket.reference.summary
    rows = sorted(
        (_row(row) for row in reference.rows),
        key=lambda r: (r["status"], r["date"] or "", r["ocid"], r["supplier"], r["price"]),
    )
    sources = sorted({row["source"] for row in rows})
    return {
        "entity": study.entity.name,
        "need": study.title,
        "quantity": _num(study.quantity),
        "search": study.search,
        "search_text": search_text(study.search),
        "sources": sources,
        "inflation": {
            "requested": reference.inflation_requested,
            "available": reference.inflation_available,
            "base": (
                "{}-{:02d}".format(*reference.inflation_base) if reference.inflation_base else None
            ),
        },
        "method": study.method,
        "method_label": str(METHODS[study.method]),
        "minimum_prices": MIN_PRICES,
        "statistics": {
            key: (str(value) if isinstance(value, Decimal) else value)
            for key, value in summary.__dict__.items()
        },
        "reference_price": _num(basket.reference_price),
        "rows": rows,
        "candidates": [_candidate(c) for c in basket.candidates],
    }


def data_digest(data: dict) -> str:
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


# --- PDF ----------------------------------------------------------------------------------------


def _money(value) -> str:
    return "—" if value is None else f"${Decimal(value):,.2f}"


def _cell(text, width: int, right=False) -> str:
    text = str(text if text not in (None, "") else "—")[:width]
    return text.rjust(width) if right else text.ljust(width)


def _table_rows(rows: list[dict]) -> list[pdf.Line]:
    header = (
        _cell(_("Fecha"), 10)
        + " "
        + _cell(_("Proveedor"), 30)
        + " "
        + _cell(_("Comprador"), 26)
        + " "
        + _cell(_("Cantidad"), 10, True)
        + " "
        + _cell(_("Unidad"), 9)
        + " "
        + _cell(_("Precio"), 14, True)
    )
    lines = [pdf.Line("table", header)]
    for row in rows:
        text = " ".join(
            [
                _cell(row["date"], 10),
                _cell(row["supplier"], 30),
                _cell(row["buyer"], 26),
                _cell(row["quantity"] and f"{Decimal(row['quantity']):,.0f}", 10, True),
                _cell(row["unit"], 9),
                _cell(_money(row["price"]), 14, True),
            ]
        )
        lines.append(pdf.Line("table", text))
        detail = f"   {row['ocid']} · {row['source']}"
        if row["reason"]:
            detail += f" · {_('Motivo')}: {row['reason']}"
        lines.append(pdf.Line("table", detail))
    return lines


def _statistics_lines(data: dict) -> list[pdf.Line]:
    stats = data["statistics"]
    if not stats["sufficient"]:
        return [
            pdf.Line(
                "p",
                _(
                    "Hay %(count)s precios válidos; se necesitan al menos %(minimum)s para "
                    "calcular estadísticas y un precio de referencia."
                )
                % {"count": stats["count"], "minimum": data["minimum_prices"]},
            )
        ]
    values = [
        (_("Precios en la canasta"), stats["count"]),
        (_("Mínimo"), _money(stats["minimum"])),
        (_("Percentil 25"), _money(stats["p25"])),
        (_("Mediana"), _money(stats["median"])),
        (_("Percentil 75"), _money(stats["p75"])),
        (_("Máximo"), _money(stats["maximum"])),
        (_("Media sin atípicos"), _money(stats["trimmed_mean"])),
        (
            _("Vallas de Tukey"),
            f"{_money(stats['lower_fence'])} – {_money(stats['upper_fence'])}",
        ),
        (_("Atípicos (no usados)"), stats["outliers"]),
    ]
    return [pdf.Line("p", f"{label}: {value}") for label, value in values]


def _inflation_text(data: dict) -> str:
    inflation = data["inflation"]
    if not inflation["requested"]:
        return _("Precios tal como se publicaron (sin ajuste por inflación).")
    if not inflation["available"]:
        return _("Se pidió ajuste por inflación, pero no hay INPC cargado: no se ajustó.")
    return _("Precios llevados a %(base)s con el INPC de INEGI.") % {"base": inflation["base"]}


def _candidate_lines(data: dict) -> list[pdf.Line]:
    lines = []
    for c in data["candidates"]:
        text = _(
            "%(score)s puntos · %(name)s (%(rfc)s): %(contracts)s procesos, %(buyers)s "
            "compradores, mediana %(median)s, posición %(position)s"
        ) % {
            "score": c["score"],
            "name": c["name"],
            "rfc": c["rfc"] or "—",
            "contracts": c["contracts"],
            "buyers": c["buyers"],
            "median": _money(c["median_price"]),
            "position": c["price_position"] or "—",
        }
        lines.append(pdf.Line("p", text))
        lines.append(pdf.Line("small", "    " + c["score_explanation"]))
        for finding in c["findings"]:
            lines.append(pdf.Line("small", f"    [{finding['code']}] {finding['explanation']}"))
        if not c["findings"]:
            lines.append(pdf.Line("small", "    " + _("Sin hallazgos de integridad.")))
        if c["registries_without_data"]:
            missing = ", ".join(c["registries_without_data"])
            lines.append(pdf.Line("small", "    " + _("Sin datos sincronizados: ") + missing))
        if c["excluded"]:
            lines.append(pdf.Line("small", "    " + _("Excluido: ") + c["excluded"]))
    return lines or [pdf.Line("p", _("Ningún proveedor vendió esta partida."))]


def pdf_lines(data: dict, digest: str) -> list[pdf.Line]:
    used = [row for row in data["rows"] if row["status"] == "used"]
    left_out = [row for row in data["rows"] if row["status"] != "used"]
    lines = [
        pdf.Line("h1", _("Investigación de mercado")),
        pdf.Line("p", f"{_('Ente')}: {data['entity']}"),
        pdf.Line("p", f"{_('Necesidad')}: {data['need']}"),
        pdf.Line("p", f"{_('Cantidad requerida')}: {data['quantity'] or '—'}"),
        pdf.Line("h2", _("Fuentes y términos de búsqueda")),
        pdf.Line("p", f"{_('Búsqueda')}: {data['search_text']}"),
        pdf.Line("p", f"{_('Fuentes')}: {', '.join(data['sources']) or '—'}"),
        pdf.Line("p", _inflation_text(data)),
        pdf.Line("h2", _("Método y precio de referencia")),
        pdf.Line("p", f"{_('Método')}: {data['method_label']}"),
        pdf.Line("p", f"{_('Precio de referencia')}: {_money(data['reference_price'])}"),
        *_statistics_lines(data),
        pdf.Line("h2", _("Precios usados (%(count)s)") % {"count": len(used)}),
        *_table_rows(used),
        pdf.Line("h2", _("Precios no usados y motivo (%(count)s)") % {"count": len(left_out)}),
        *_table_rows(left_out),
        pdf.Line("h2", _("Proveedores candidatos y revisión de integridad")),
        *_candidate_lines(data),
        pdf.Line("h2", _("Integridad del reporte")),
        pdf.Line("small", _("SHA-256 de los datos del reporte: %(digest)s") % {"digest": digest}),
    ]
    return lines


def render_pdf(data: dict, digest: str) -> bytes:
    return pdf.render(
        pdf_lines(data, digest),
        title=_("Investigación de mercado: %(need)s") % {"need": data["need"]},
        footer=_("Investigación de mercado · datos %(digest)s") % {"digest": digest[:16]},
    )


# --- XLSX ---------------------------------------------------------------------------------------

ROW_COLUMNS = (
    ("status", "Estado"),
    ("reason", "Motivo"),
    ("date", "Fecha"),
    ("ocid", "ocid"),
    ("classification", "Clave CUCoP"),
    ("description", "Descripción"),
    ("quantity", "Cantidad"),
    ("unit", "Unidad"),
    ("published_price", "Precio publicado"),
    ("price", "Precio usado"),
    ("currency", "Moneda"),
    ("supplier", "Proveedor"),
    ("supplier_rfc", "RFC"),
    ("buyer", "Comprador"),
    ("state", "Entidad"),
    ("source", "Fuente"),
)
STATUS_LABELS = {"used": "usado", "outlier": "atípico", "excluded": "excluido"}


def _statistic_pairs(stats: dict) -> list[tuple[str, object]]:
    labels = (
        ("count", _("Precios en la canasta")),
        ("minimum", _("Mínimo")),
        ("p25", _("Percentil 25")),
        ("median", _("Mediana")),
        ("p75", _("Percentil 75")),
        ("maximum", _("Máximo")),
        ("trimmed_mean", _("Media sin atípicos")),
        ("lower_fence", _("Valla inferior de Tukey")),
        ("upper_fence", _("Valla superior de Tukey")),
        ("outliers", _("Atípicos (no usados)")),
    )
    return [(label, _number(stats[key]) if key != "count" else stats[key]) for key, label in labels]


def _number(value):
    return float(value) if value is not None else None


def render_xlsx(data: dict, digest: str) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Resumen")
    for label, value in (
        (_("Ente"), data["entity"]),
        (_("Necesidad"), data["need"]),
        (_("Cantidad requerida"), _number(data["quantity"])),
        (_("Búsqueda"), data["search_text"]),
        (_("Fuentes"), ", ".join(data["sources"])),
        (_("Inflación"), _inflation_text(data)),
        (_("Método"), data["method_label"]),
        (_("Precio de referencia"), _number(data["reference_price"])),
        *_statistic_pairs(data["statistics"]),
        (_("SHA-256 de los datos"), digest),
    ):
        summary.append([str(label), _number(value) if isinstance(value, Decimal) else value])
    basket = workbook.create_sheet(_("Canasta"))
    basket.append([_(label) for _key, label in ROW_COLUMNS])
    numeric = {"quantity", "published_price", "price"}
    for row in data["rows"]:
        values = []
        for key, _label in ROW_COLUMNS:
            value = row[key]
            if key == "status":
                value = _(STATUS_LABELS[value])
            values.append(_number(value) if key in numeric else value)
        basket.append(values)
    suppliers = workbook.create_sheet(_("Proveedores"))
    suppliers.append(
        [
            _("Puntaje"),
            _("Proveedor"),
            _("RFC"),
            _("Procesos"),
            _("Compradores"),
            _("Monto"),
            _("Mediana"),
            _("Posición de precio"),
            _("Hallazgos"),
            _("Excluido"),
        ]
    )
    for c in data["candidates"]:
        findings = "; ".join(f"[{f['code']}] {f['explanation']}" for f in c["findings"])
        suppliers.append(
            [
                _number(c["score"]),
                c["name"],
                c["rfc"],
                c["contracts"],
                c["buyers"],
                _number(c["amount"]),
                _number(c["median_price"]),
                c["price_position"],
                findings,
                c["excluded"],
            ]
        )
    workbook.properties.creator = "Compra Íntegra"
    workbook.properties.title = data["need"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
