"""Bids (Proposiciones) through the stage forms: the group, its rows and the award form versions."""

import pytest

from tests.workflows.factories import make_capturista, make_entity
from workflows.forms.checks import check_spec
from workflows.forms.defaults import BIDS, publish_bids_group
from workflows.forms.form_services import form_version_for, stage_draft_create
from workflows.forms.forms_engine import CaptureContext, build_form, to_ocds
from workflows.models import FormDefinition, FormVersion

pytestmark = pytest.mark.django_db

OPEN = CaptureContext(procedure_type="lp_nacional", ocid="ocds-ejemplo-ENTE-000001")


def award_data(rows: dict, total: int) -> dict:
    data = {
        "fechaFallo": "2026-03-20T12:00",
        "monto_0": "221500",
        "monto_1": "MXN",
        "proveedores-TOTAL_FORMS": "1",
        "proveedores-INITIAL_FORMS": "0",
        "proveedores-0-nombre": "Medicamentos Mexicanos, S.A. de C.V.",
        "proveedores-0-rfc": "MME920427EM3",
        "partidas-TOTAL_FORMS": "0",
        "partidas-INITIAL_FORMS": "0",
        "proposiciones-TOTAL_FORMS": str(total),
        "proposiciones-INITIAL_FORMS": "0",
    }
    data.update(rows)
    return data


VALID_BID = {
    "proposiciones-0-rfc": "MME920427EM3",
    "proposiciones-0-nombre": "Medicamentos Mexicanos, S.A. de C.V.",
    "proposiciones-0-monto_0": "221500",
    "proposiciones-0-monto_1": "MXN",
    "proposiciones-0-estado": "valid",
}
# What a browser posts for an extra row nobody filled: the currency select always sends MXN.
UNTOUCHED_ROW = {"proposiciones-1-monto_1": "MXN", "proposiciones-1-estado": ""}


def award_version():
    return form_version_for(stage="award", procedure_type="lp_nacional")


def test_the_award_form_records_bids_as_the_bid_extension():
    form = build_form(award_version(), award_data(VALID_BID, 1), context=OPEN)
    assert form.is_valid(), (form.errors, form.formsets["proposiciones"].errors)
    fragment = to_ocds(award_version(), form.values(), context=OPEN)
    [bid] = fragment["bids"]["details"]
    assert bid["id"] == "1"
    assert bid["status"] == "valid"
    assert bid["value"] == {"amount": 221500, "currency": "MXN"}
    assert bid["tenderers"][0]["identifier"] == {"id": "MME920427EM3", "scheme": "MX-RFC"}


def test_direct_awards_do_not_show_the_bids_group():
    form = build_form(
        award_version(), context=CaptureContext(procedure_type="adjudicacion_directa")
    )
    assert "proposiciones" not in form.formsets


def test_an_untouched_extra_row_is_ignored():
    form = build_form(award_version(), award_data({**VALID_BID, **UNTOUCHED_ROW}, 2), context=OPEN)
    assert form.is_valid(), form.formsets["proposiciones"].errors
    assert len(form.values()["proposiciones"]) == 1


def test_a_row_marked_for_deletion_is_ignored_even_if_incomplete():
    deleted = {**UNTOUCHED_ROW, "proposiciones-1-rfc": "XXX", "proposiciones-1-DELETE": "on"}
    form = build_form(award_version(), award_data({**VALID_BID, **deleted}, 2), context=OPEN)
    assert form.is_valid(), form.formsets["proposiciones"].errors
    assert len(form.values()["proposiciones"]) == 1


def test_a_started_extra_row_is_still_validated():
    started = {**UNTOUCHED_ROW, "proposiciones-1-nombre": "Farmacéutica del Bajío"}
    form = build_form(award_version(), award_data({**VALID_BID, **started}, 2), context=OPEN)
    assert not form.is_valid()
    assert form.formsets["proposiciones"].errors[1]


def test_the_bids_group_passes_the_definition_checks():
    assert check_spec(award_version().spec, stage="award", procedure_type="") == []
    issues = check_spec({"fields": [BIDS]}, stage="contract", procedure_type="lp_nacional")
    assert [issue.field for issue in issues if issue.index == 0] == ["ocds_path"]


def test_older_installations_get_a_new_award_version_and_drafts_keep_theirs():
    definition = FormDefinition.objects.get(stage="award", procedure_type="", entity=None)
    shipped = definition.latest_version()
    without_bids = {
        **shipped.spec,
        "fields": [i for i in shipped.spec["fields"] if i["key"] != "proposiciones"],
    }
    old = FormVersion.objects.create(
        definition=definition,
        number=shipped.number + 1,
        stage="award",
        procedure_type="",
        title=definition.title,
        spec=without_bids,
    )
    entity = make_entity("IMSS")
    draft = stage_draft_create(
        user=make_capturista(entity), entity=entity, stage="award", procedure_type="lp_nacional"
    )
    assert draft.version == old

    assert publish_bids_group(FormDefinition, FormVersion) == 1
    assert publish_bids_group(FormDefinition, FormVersion) == 0

    new = definition.latest_version()
    assert new.number == old.number + 1
    assert new.spec["fields"][-1]["key"] == "proposiciones"
    assert award_version() == new
    draft.refresh_from_db()
    assert draft.version == old
    definition.refresh_from_db()
    assert "proposiciones" in [block.value["key"] for block in definition.fields]
