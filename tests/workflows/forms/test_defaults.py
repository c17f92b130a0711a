"""Every shipped stage form, filled with sample input, produces a release that validates."""

import pytest

from ocds_pages.validation import validate_release
from tests.workflows.factories import BUYER
from workflows.base.procedures import ProcedureType, Stage
from workflows.forms.checks import check_spec
from workflows.forms.defaults import (
    ACCEPTANCE_DOCUMENT,
    DEFAULT_DEFINITIONS,
    publish_milestone_acceptance,
    publish_monitoring_fields,
)
from workflows.forms.form_services import form_version_for
from workflows.forms.forms_engine import assemble_release
from workflows.forms.previews import sample_form_and_fragment
from workflows.models import FormDefinition, FormVersion

pytestmark = pytest.mark.django_db

OCID = "ocds-ejemplo-ENTE-000001"
CASES = [
    (stage, procedure)
    for stage, definition_procedure, _title, _fields in DEFAULT_DEFINITIONS
    for procedure in (list(ProcedureType) if definition_procedure == "" else [definition_procedure])
]
# A contract refers to its award: the compiled release before it already holds one.
PREVIOUS = {"awards": [{"id": f"{OCID}-award-1", "date": "2020-01-01T00:00:00-06:00"}]}


def release_for(stage, procedure):
    version = form_version_for(stage=stage, procedure_type=procedure)
    form, fragment = sample_form_and_fragment(version.spec, stage, procedure)
    assert fragment is not None, form.errors
    return assemble_release(
        fragment=fragment, ocid=OCID, release_id=f"{OCID}-0001", stage=stage, buyer=BUYER
    )


@pytest.mark.parametrize(("stage", "procedure"), CASES)
def test_default_form_produces_valid_ocds(stage, procedure):
    release = release_for(stage, procedure)

    assert validate_release(release, previous=PREVIOUS, ocid_prefix=None) == []
    assert release["tag"] == [Stage(stage).release_tag]


def test_every_stage_and_procedure_type_has_a_published_default():
    stages = {stage for stage, *_rest in DEFAULT_DEFINITIONS}
    for stage in stages:
        for procedure in ProcedureType:
            assert form_version_for(stage=stage, procedure_type=procedure) is not None


def test_shipped_definitions_pass_their_own_safety_checks():
    for version in FormVersion.objects.filter(definition__entity=None):
        issues = check_spec(
            version.spec, stage=version.stage, procedure_type=version.procedure_type
        )
        assert issues == [], (version.stage, version.procedure_type, issues)


def test_direct_award_tender_cites_the_legal_ground_and_the_method():
    release = release_for("tender", "adjudicacion_directa")

    assert release["tender"]["procurementMethod"] == "direct"
    assert release["tender"]["procurementMethodRationale"].startswith("LAASSP art. 41 fr. I:")


def test_market_research_quotes_show_only_in_direct_awards():
    direct = release_for("planning", "adjudicacion_directa")
    open_tender = release_for("planning", "lp_nacional")

    assert direct["planning"]["requestsForQuotes"][0]["quotes"][0]["id"] == "1"
    assert "requestsForQuotes" not in open_tender["planning"]


def test_edca_mx_extensions_are_written_where_they_belong():
    planning = release_for("planning", "lp_nacional")
    update = release_for("clarificationMeeting", "lp_nacional")
    contract = release_for("contract", "lp_nacional")

    line = planning["planning"]["budgetBreakdown"][0]["budgetLines"][0]
    assert line["components"][0] == {"name": "partida", "code": 10000}
    assert update["tender"]["clarificationMeetings"][0]["id"] == "1"
    assert contract["contracts"][0]["guarantees"][0]["value"]["currency"] == "MXN"


def test_suppliers_become_parties_with_their_rfc():
    release = release_for("award", "lp_nacional")

    supplier = release["awards"][0]["suppliers"][0]
    party = next(p for p in release["parties"] if p["id"] == supplier["id"])
    assert supplier["id"] == "MX-RFC-MME920427EM3"
    assert party["roles"] == ["supplier"]
    assert party["identifier"]["scheme"] == "MX-RFC"


def test_monitoring_fields_come_as_a_new_version_of_older_forms():
    """Migration 0014 on an installation whose forms predate contract monitoring: the acceptance
    document, the penalties and the guarantees' validity come back as they ship, once."""
    shipped, old = {}, {}
    for stage in ("contract", "implementation", "implementationUpdate"):
        definition = FormDefinition.objects.get(stage=stage, procedure_type="", entity=None)
        shipped[stage] = definition.latest_version()
        fields = [
            {**item, "fields": [f for f in item["fields"] if "Vigencia" not in f["key"]]}
            if item["key"] == "garantias"
            else item
            for item in shipped[stage].spec["fields"]
            if item["key"] not in ("actaRecepcion", "penas")
        ]
        old[stage] = FormVersion.objects.create(
            definition=definition,
            number=shipped[stage].number + 1,
            stage=stage,
            procedure_type="",
            title=definition.title,
            spec={**shipped[stage].spec, "fields": fields},
        )

    assert publish_monitoring_fields(FormDefinition, FormVersion) == 3
    assert publish_monitoring_fields(FormDefinition, FormVersion) == 0

    for stage, version in old.items():
        new = version.definition.latest_version()
        assert new.number == version.number + 1
        assert new.spec["fields"] == shipped[stage].spec["fields"]


def test_the_acceptance_certificate_moves_to_each_delivery_in_a_new_version():
    """Migration 0015 on forms that ask for one certificate for the whole contract (as 0014 left
    them): a new version asks for it in each delivery's row, once; the rest stays as it was."""
    shipped, old = {}, {}
    for stage in ("implementation", "implementationUpdate"):
        definition = FormDefinition.objects.get(stage=stage, procedure_type="", entity=None)
        shipped[stage] = definition.latest_version()
        fields = [
            {**item, "fields": [f for f in item["fields"] if f["key"] != "actaRecepcion"]}
            if item["key"] == "entregas"
            else item
            for item in shipped[stage].spec["fields"]
        ]
        penalties = next(i for i, item in enumerate(fields) if item["key"] == "penas")
        fields.insert(penalties, ACCEPTANCE_DOCUMENT)  # where 0014 left it, once per contract
        old[stage] = FormVersion.objects.create(
            definition=definition,
            number=shipped[stage].number + 1,
            stage=stage,
            procedure_type="",
            title=definition.title,
            spec={**shipped[stage].spec, "fields": fields},
        )

    assert publish_monitoring_fields(FormDefinition, FormVersion) == 0  # nothing missing
    assert publish_milestone_acceptance(FormDefinition, FormVersion) == 2
    assert publish_milestone_acceptance(FormDefinition, FormVersion) == 0

    for stage, version in old.items():
        new = version.definition.latest_version()
        assert new.number == version.number + 1
        assert new.spec["fields"] == shipped[stage].spec["fields"]
        deliveries = next(i for i in new.spec["fields"] if i["key"] == "entregas")
        acta = next(f for f in deliveries["fields"] if f["key"] == "actaRecepcion")
        assert (acta["ocds_path"], acta["document_type"]) == ("documents", "completionCertificate")
