"""The market research in the planning release: EDCA-MX ``planning.requestsForQuotes``.

When a report is attached to the planning stage (a ``marketStudies`` document), the planning
release carries one request for quotes built from the report's stored data part — the same data
whose SHA-256 the report prints — so what is published is what the report says, not a new
search:

* ``items``: the need (CUCoP key when the search was by key, quantity, unit and the reference
  price as the unit value);
* ``quotes``: the valid prices of the basket (not excluded, not outliers), at most ``MAX_QUOTES``,
  each with the awarded item, its value and its supplier as ``issuingSupplier``. They are prices
  awarded in published processes, not quotes received, and each says so;
* ``invitedSuppliers``: the candidate suppliers considered (those not excluded from the basket).

Suppliers known by RFC enter ``parties`` with the extension's roles ``invitedSupplier`` /
``issuingSupplier`` (the extension's partyRole codelist). Registered as a release part of
``workflows.processes.releases`` (docs/arquitectura.md §4).
"""

from django.utils.translation import gettext as _

from indicadores.market.models import MarketReport
from ocds_pages.party_keys import RFC_SCHEME, rfc_party_id
from workflows.base.procedures import Stage

MAX_QUOTES = 100
DOCUMENT_TYPE = "marketStudies"


def _number(text) -> float | None:
    return float(text) if text not in (None, "") else None


def _supplier(parties: dict, name: str, rfc: str, role: str) -> dict:
    """An OrganizationReference; a supplier with RFC also becomes a party with ``role``."""
    if not rfc:
        return {"name": name}
    party_id = rfc_party_id(rfc)
    party = parties.setdefault(
        party_id,
        {
            "id": party_id,
            "name": name,
            "identifier": {"scheme": RFC_SCHEME, "id": rfc, "legalName": name},
        },
    )
    party["roles"] = sorted({*party.get("roles", []), role})
    return {"id": party_id, "name": party.get("name") or name}


def _quote(number: int, row: dict, parties: dict) -> dict:
    item = {"id": "1", "description": row["description"] or row["classification"]}
    if row["classification"]:
        item["classification"] = {"scheme": "CUCOP", "id": row["classification"]}
    quantity, price = _number(row["quantity"]), _number(row["published_price"])
    if quantity is not None:
        item["quantity"] = quantity
    item["unit"] = {"name": row["unit"], "value": {"amount": price, "currency": row["currency"]}}
    quote = {
        "id": str(number),
        "description": _(
            "Precio unitario adjudicado en %(ocid)s el %(date)s a %(buyer)s (fuente: %(source)s); "
            "precio de la canasta de la investigación, no una cotización recibida."
        )
        % {
            "ocid": row["ocid"],
            "date": row["date"] or "—",
            "buyer": row["buyer"] or "—",
            "source": row["source"],
        },
        "items": [item],
        "issuingSupplier": _supplier(
            parties, row["supplier"], row["supplier_rfc"], "issuingSupplier"
        ),
    }
    if quantity is not None:
        quote["value"] = {"amount": round(quantity * price, 2), "currency": row["currency"]}
    return quote


def request_for_quotes(data: dict, document_id: str, parties: dict) -> dict:
    """The requestForQuotes of a report's data part (``report.report_data``)."""
    used = [row for row in data["rows"] if row["status"] == "used"]
    need = {"id": "1", "description": data["need"]}
    if data["search"].get("clasificacion"):
        need["classification"] = {"scheme": "CUCOP", "id": data["search"]["clasificacion"]}
    if data["quantity"]:
        need["quantity"] = _number(data["quantity"])
    units = {row["unit"] for row in used}
    currencies = {row["currency"] for row in used} or {"MXN"}
    if len(units) == 1:
        need["unit"] = {"name": units.pop()}
        if data["reference_price"] and len(currencies) == 1:
            need["unit"]["value"] = {
                "amount": _number(data["reference_price"]),
                "currency": currencies.pop(),
            }
    description = _(
        "Investigación de mercado con precios unitarios adjudicados en procesos publicados "
        "(%(sources)s). Búsqueda: %(search)s. Método: %(method)s; precio de referencia: "
        "%(price)s. Las cotizaciones son %(shown)s de los %(used)s precios válidos de la canasta "
        "(ni excluidos ni atípicos), no cotizaciones recibidas; los proveedores invitados son los "
        "candidatos considerados. Reporte: documento %(document)s (huella de los datos SHA-256 "
        "%(sha)s)."
    ) % {
        "sources": ", ".join(data["sources"]) or "—",
        "search": data["search_text"],
        "method": data["method_label"],
        "price": data["reference_price"]
        or _("sin precio (menos de %(minimum)s precios)") % {"minimum": data["minimum_prices"]},
        "shown": min(len(used), MAX_QUOTES),
        "used": len(used),
        "document": document_id,
        "sha": data["sha256"],
    }
    return {
        "id": f"investigacion-mercado-{document_id}",
        "title": data["need"],
        "description": description,
        "items": [need],
        "invitedSuppliers": [
            _supplier(parties, c["name"], c["rfc"], "invitedSupplier")
            for c in data["candidates"]
            if not c["excluded"]
        ],
        "quotes": [_quote(n, row, parties) for n, row in enumerate(used[:MAX_QUOTES], start=1)],
    }


def planning_part(release: dict, stage, documents) -> None:
    """Release part: each market-research report attached to planning, as a request for quotes."""
    if Stage(stage) != Stage.PLANNING:
        return
    attached = {d.pk: d.document_id for d in documents if d.document_type == DOCUMENT_TYPE}
    if not attached:
        return
    reports = (
        MarketReport.objects.filter(document__in=list(attached))
        .exclude(data={})
        .order_by("pk")
        .values_list("document", "data", "data_sha256")
    )
    parties = {party.get("id"): party for party in release.get("parties", [])}
    requests = [
        request_for_quotes(data | {"sha256": sha256}, attached[document], parties)
        for document, data, sha256 in reports
    ]
    if not requests:
        return
    planning = release.setdefault("planning", {})
    planning["requestsForQuotes"] = [*(planning.get("requestsForQuotes") or []), *requests]
    release["parties"] = list(parties.values())
