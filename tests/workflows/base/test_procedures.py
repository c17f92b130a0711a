"""The one vocabulary: every stage and procedure type knows its facts
(workflows.base.procedures)."""

from ocds_pages.codelists import codes
from workflows.base.procedures import FORM_STAGES, RULES, ProcedureType, Stage, can_start


def test_every_stage_has_its_rules_and_publishes_an_ocds_release_tag():
    assert set(RULES) == set(Stage)
    assert {stage.release_tag for stage in Stage} <= set(codes("releaseTag"))
    assert Stage.CLARIFICATION_MEETING.release_tag == "tenderUpdate"
    assert Stage.TENDER_UNSUCCESSFUL.release_tag == "tenderUpdate"


def test_a_desierta_is_captured_with_the_cancellation_form_and_sets_unsuccessful():
    assert Stage.TENDER_UNSUCCESSFUL.form == Stage.TENDER_CANCELLATION
    assert Stage.TENDER_UNSUCCESSFUL not in FORM_STAGES
    assert Stage.TENDER_UNSUCCESSFUL.status.path == "tender/status"
    assert Stage.TENDER_UNSUCCESSFUL.status.status == "unsuccessful"


def test_closing_stages_force_their_status_and_happen_once():
    closing = {stage for stage in Stage if stage.closes}
    assert closing == {
        Stage.TENDER_CANCELLATION,
        Stage.TENDER_UNSUCCESSFUL,
        Stage.AWARD_CANCELLATION,
        Stage.CONTRACT_TERMINATION,
    }
    assert all(stage.once and stage.status.forced for stage in closing)
    assert Stage.AWARD.status.path == "awards/0/status" and not Stage.AWARD.status.forced


def test_each_procedure_type_knows_its_procurement_method():
    methods = {procedure: procedure.procurement_method for procedure in ProcedureType}
    assert set(methods.values()) <= set(codes("method"))
    assert methods[ProcedureType.LP_TREATIES] == "open"
    assert methods[ProcedureType.INV3] == "selective"
    assert ProcedureType.LP_TREATIES.tender_period_minimum_days == 40
    assert ProcedureType.DIRECT.tender_period_minimum_days is None


def test_a_direct_award_has_no_clarification_meeting():
    published = {Stage.PLANNING, Stage.TENDER}
    for procedure, allowed in ((ProcedureType.DIRECT, False), (ProcedureType.INV3, True)):
        assert (
            can_start(
                Stage.CLARIFICATION_MEETING,
                published=published,
                running=set(),
                closed=False,
                procedure_type=procedure,
            )
            is allowed
        )
