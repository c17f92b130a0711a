"""The market-research report: data part, PDF and XLSX, regeneration, attachment to planning."""

import io

import pytest
from openpyxl import load_workbook

from indicadores.market import report, services
from indicadores.market.models import Exclusion, MarketReport, MarketStudy
from tests.indicadores.builders import s3_sanction
from tests.indicadores.market.helpers import CUCOP, SUPPLIER_A, SUPPLIER_B, publish_priced
from tests.workflows import drafts
from workflows.base.procedures import Stage
from workflows.processes import process_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = drafts.people()
    for price in (10, 12, 13, 14, 15, 16, 100):
        publish_priced(world["entity"], price)
    publish_priced(world["entity"], 11, supplier=SUPPLIER_B)
    s3_sanction(name=SUPPLIER_B[2], rfc=SUPPLIER_B[1])
    return world


@pytest.fixture
def study(world):
    process = process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Paracetamol para unidades médicas",
        description="Compra consolidada de analgésicos.",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
        budget_lines=[{"id": "25301", "description": "Medicinas", "amount": 250000}],
    )
    study = MarketStudy.objects.create(
        entity=world["entity"],
        process=process,
        title="Paracetamol 500 mg, segundo semestre",
        quantity=500,
        search={"clasificacion": CUCOP, "unidad": "caja"},
        created_by=world["capturista"],
    )
    Exclusion.objects.create(
        study=study,
        kind="supplier",
        key=SUPPLIER_B[1],
        label=SUPPLIER_B[2],
        reason="Inhabilitado en S3",
        created_by=world["capturista"],
    )
    return study


def test_report_data_and_files_are_regenerated_identically(world, study):
    first = services.generate_report(study, world["capturista"])
    second = services.generate_report(study, world["capturista"])
    assert first.data_sha256 == second.data_sha256
    assert first.pdf_sha256 == second.pdf_sha256  # the PDF carries no clock
    data = report.report_data(study, services.study_basket(study))
    assert report.data_digest(data) == first.data_sha256
    # 10 12 13 14 15 16 used (100 is an outlier, 11 excluded with its supplier): median 13.5.
    assert data["reference_price"] == "13.5000"
    statuses = sorted((row["status"], row["reason"]) for row in data["rows"])
    assert statuses[0] == ("excluded", "Inhabilitado en S3")
    assert statuses[1] == ("outlier", "Atípico: fuera de las vallas de Tukey")
    assert [row[0] for row in statuses].count("used") == 6
    flagged = next(c for c in data["candidates"] if c["rfc"] == SUPPLIER_B[1])
    assert flagged["findings"][0]["code"] == "S3" and flagged["excluded"] == "Inhabilitado en S3"


def test_pdf_and_xlsx_say_it_in_spanish(world, study):
    made = services.generate_report(study, world["capturista"])
    pdf = bytes(made.pdf)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    for text in ("Investigación de mercado", "Precios no usados y motivo", "Inhabilitado en S3"):
        assert text.encode("cp1252") in pdf
    assert made.data_sha256.encode() in pdf
    workbook = load_workbook(io.BytesIO(bytes(made.xlsx)))
    assert workbook.sheetnames == ["Resumen", "Canasta", "Proveedores"]
    basket = list(workbook["Canasta"].values)
    assert basket[0][:2] == ("Estado", "Motivo") and len(basket) == 9
    summary = dict(row[:2] for row in workbook["Resumen"].values)
    assert summary["Precio de referencia"] == 13.5 and summary["Mediana"] == 14.0


def test_report_attached_to_the_planning_stage_with_its_sha256(world, study, client):
    client.force_login(world["capturista"])
    response = client.post(f"/tramite/mercado/estudios/{study.pk}/reporte/", {"adjuntar": "1"})
    assert response.status_code == 302
    made = MarketReport.objects.get()
    document = made.document
    assert (document.stage, document.document_type) == (Stage.PLANNING, "marketStudies")
    assert document.sha256 == made.pdf_sha256 and document.contracting_process == study.process
    client.post(f"/tramite/mercado/estudios/{study.pk}/reporte/", {"adjuntar": "1"})
    newest = MarketReport.objects.order_by("-pk").first().document
    assert (newest.document_id, newest.version) == (document.document_id, 2)
    page = client.get(f"/tramite/mercado/estudios/{study.pk}/").content.decode()
    assert "Planeación, versión 2" in page
    download = client.get(f"/tramite/mercado/estudios/{study.pk}/reporte/{made.pk}.xlsx")
    assert download.status_code == 200 and download["Content-Type"].endswith("sheet")


def test_an_approver_cannot_attach(world, study, client):
    client.force_login(world["aprobador"])
    response = client.post(f"/tramite/mercado/estudios/{study.pk}/reporte/", {"adjuntar": "1"})
    assert response.status_code == 403 and not MarketReport.objects.exists()


def test_attached_report_is_published_with_planning_as_request_for_quotes(world, study, client):
    """EDCA-MX requestForQuotes: the need, the basket's valid prices as quotes and the suppliers
    considered, from the report's data part; the release validates with its extensions."""
    import orjson

    from ocds_pages.models import Release
    from tests.workflows import form_values
    from tests.workflows.drafts import assert_releases_valid

    client.force_login(world["capturista"])
    client.post(f"/tramite/mercado/estudios/{study.pk}/reporte/", {"adjuntar": "1"})
    made = MarketReport.objects.get()
    planning = study.process.stage_runs.get(stage="planning")
    issues = process_services.capture_submit(
        task=process_services.active_task(planning),
        user=world["capturista"],
        values=form_values.planning(),
    )
    assert issues == [], issues
    process_services.review_approve(
        task=process_services.active_task(planning), user=world["aprobador"]
    )

    assert_releases_valid(study.process.ocid)  # the schema with its extensions, and our rules
    release = orjson.loads(Release.objects.get(ocid=study.process.ocid).data)
    document = made.document
    assert [d["id"] for d in release["planning"]["documents"]] == [document.document_id]
    (rfq,) = release["planning"]["requestsForQuotes"]
    assert rfq["id"] == f"investigacion-mercado-{document.document_id}"
    assert rfq["title"] == study.title and made.data_sha256 in rfq["description"]
    assert rfq["items"] == [
        {
            "id": "1",
            "description": study.title,
            "classification": {"scheme": "CUCOP", "id": CUCOP},
            "quantity": 500.0,
            "unit": {"name": "Caja", "value": {"amount": 13.5, "currency": "MXN"}},
        }
    ]
    # The six valid prices (100 is an outlier, 11 was excluded with its supplier).
    assert sorted(q["items"][0]["unit"]["value"]["amount"] for q in rfq["quotes"]) == [
        10.0,
        12.0,
        13.0,
        14.0,
        15.0,
        16.0,
    ]
    first = rfq["quotes"][0]
    assert first["value"] == {
        "amount": 100 * first["items"][0]["unit"]["value"]["amount"],
        "currency": "MXN",
    }
    assert first["issuingSupplier"] == {"id": "MX-RFC-MME920427EM3", "name": SUPPLIER_A[2]}
    assert "no una cotización recibida" in first["description"]
    # The sanctioned supplier was excluded: it is not among those considered.
    assert rfq["invitedSuppliers"] == [{"id": "MX-RFC-MME920427EM3", "name": SUPPLIER_A[2]}]
    party = next(p for p in release["parties"] if p["id"] == "MX-RFC-MME920427EM3")
    assert party["roles"] == ["invitedSupplier", "issuingSupplier"]
    assert party["identifier"] == {
        "scheme": "MX-RFC",
        "id": "MME920427EM3",
        "legalName": SUPPLIER_A[2],
    }
