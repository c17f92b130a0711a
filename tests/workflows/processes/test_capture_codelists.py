"""Issue 16, item 6: staff read OCP's Spanish titles for every codelist value (the OCDS code stays
the stored value); «Subir documento» makes people choose a document type, the stage's first; the
dictamen of a direct award is published as what it is."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workflows import drafts
from tests.workflows.walker import Walker
from workflows.forms.blocks import document_type_codes
from workflows.forms.defaults import publish_dictamen_document_type
from workflows.forms.form_services import form_version_for
from workflows.forms.forms_engine import CaptureContext, build_form, to_ocds
from workflows.models import DocumentType, FormDefinition, FormVersion
from workflows.processes.process_models import ProcessDocument

pytestmark = pytest.mark.django_db

ENGLISH_TITLES = ("Notice of planned procurement", "Tender notice", "Goods and supplies")
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def walker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Walker(drafts.people())


def document_type_select(page: str) -> str:
    return re.search(r'<select name="documento-document_type"[^>]*>(.*?)</select>', page, re.S)[1]


def test_subir_documento_prompts_a_choice_with_the_stage_types_first(walker):
    process = walker.create("capturista", "adjudicacion_directa")
    page = html.unescape(
        walker.as_("capturista").get(f"/tramite/procesos/{process.pk}/").content.decode()
    )
    select = document_type_select(page)
    first = re.search(r"<option[^>]*>([^<]*)</option>", select)
    assert first[0].startswith('<option value="" selected')
    assert "Elija el tipo de documento" in first[1]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert groups[0][0] == "Propios de la etapa «Planeación»"
    assert "Plan de adquisiciones" in groups[0][1]
    assert "Estudios de mercado" in groups[0][1]
    assert "Aviso de licitación" not in groups[0][1]
    assert "Aviso de licitación" in groups[1][1]
    for english in ENGLISH_TITLES:
        assert english not in page


def test_a_document_without_a_chosen_type_is_not_saved(walker):
    process = walker.create("capturista", "adjudicacion_directa")
    response = walker.as_("capturista").post(
        f"/tramite/procesos/{process.pk}/documentos/",
        {
            "documento-stage": "planning",
            "documento-title": "Estudio de mercado",
            "documento-document_type": "",
            "documento-file": SimpleUploadedFile("estudio.pdf", PDF),
        },
        follow=True,
    )
    assert "Este campo es necesario" in html.unescape(response.content.decode())
    assert not ProcessDocument.objects.exists()


def test_stage_form_choices_read_in_spanish_and_store_the_code():
    version = form_version_for(stage="implementation", procedure_type="adjudicacion_directa")
    form = build_form(version)
    row = form.formsets["entregas"].forms[0]
    assert ("delivery", "Hitos de entrega") in row.fields["tipo"].choices
    assert ("met", "Cumplido") in row.fields["estado"].choices
    tender = form_version_for(stage="tender", procedure_type="lp_nacional")
    category = build_form(tender).fields["categoria"]
    assert ("goods", "Bienes y provisiones") in category.choices
    assert not any("Goods" in str(label) for _code, label in category.choices)
    values = {"categoria": "goods"}
    fragment = to_ocds(tender, values, context=CaptureContext(procedure_type="lp_nacional"))
    assert fragment["tender"]["mainProcurementCategory"] == "goods"


def test_the_form_editor_offers_document_types_in_spanish():
    options = dict(document_type_codes())
    assert options["tenderNotice"] == "Aviso de licitación"
    assert options["marketStudies"] == "Estudios de mercado"


def test_the_dictamen_is_published_as_an_evaluation_report():
    version = form_version_for(stage="tender", procedure_type="adjudicacion_directa")
    [dictamen] = [item for item in version.spec["fields"] if item["key"] == "dictamen"]
    assert dictamen["document_type"] == "evaluationReports"
    catalogue = DocumentType.objects.get(name="Dictamen de excepción a la licitación")
    assert catalogue.ocds_code == "evaluationReports"


def test_installations_with_the_old_dictamen_get_a_new_form_version():
    definition = FormDefinition.objects.get(
        stage="tender", procedure_type="adjudicacion_directa", entity=None
    )
    latest = definition.latest_version()
    old_fields = [
        {**item, "document_type": "tenderNotice"} if item["key"] == "dictamen" else item
        for item in latest.spec["fields"]
    ]
    FormVersion.objects.create(
        definition=definition,
        number=latest.number + 1,
        stage=definition.stage,
        procedure_type=definition.procedure_type,
        title=definition.title,
        spec={**latest.spec, "fields": old_fields},
    )
    assert publish_dictamen_document_type(FormDefinition, FormVersion) == 1
    newest = definition.latest_version()
    assert newest.number == latest.number + 2
    [dictamen] = [item for item in newest.spec["fields"] if item["key"] == "dictamen"]
    assert dictamen["document_type"] == "evaluationReports"
    assert publish_dictamen_document_type(FormDefinition, FormVersion) == 0
