"""Each computed status on hand-built contracts, with the expected status written in the test."""

from decimal import Decimal

import pytest

from indicadores.engine.process import ProcessView
from indicadores.monitoring.assess import Limits, assess
from indicadores.monitoring.choices import ContractStatus as S
from indicadores.monitoring.choices import OverdueGrade
from tests.indicadores.monitoring.contracts import (
    TODAY,
    contract,
    day,
    guarantee,
    milestone,
    payment,
    versioned,
)

LIMITS = Limits()


def state_of(release, *, versions=None, limits=LIMITS):
    view = ProcessView(ocid=release["ocid"], entity_id=None, unit_id=None, release=release)
    (state,) = assess(view, TODAY, limits, versions)
    return state


def on_track(**kwargs):
    """One of two deliveries met on time and 40 % paid, 150 of 360 days gone."""
    return contract(
        milestones=[milestone(1, day(-90), day(-91), accepted=True), milestone(2, day(90))],
        payments=[payment(1, day(-80), 400_000)],
        **kwargs,
    )


def test_on_time():
    state = state_of(on_track())
    assert state.status == S.ON_TIME
    assert not any(state.flags.values())
    assert state.physical == Decimal("0.5") and state.financial == Decimal("0.4")
    assert state.days_to_end == 210 and state.days_overdue == 0
    assert state.milestones[0].accepted and not state.milestones[1].accepted
    assert state.late_deliveries == 0


def test_at_risk_when_a_delivery_is_due_within_the_risk_window():
    release = contract(milestones=[milestone(1, day(10))], payments=[])
    state = state_of(release)
    assert state.status == S.AT_RISK
    assert state.reasons == ["entrega_proxima", "avance_lento"]


def test_at_risk_when_time_runs_ahead_of_deliveries():
    # 300 of 360 days gone, one of three deliveries met: 83 % of the time for 33 % of the goods.
    release = contract(
        start=-300,
        end=60,
        milestones=[
            milestone(1, day(-200), day(-200)),
            milestone(2, day(50)),
            milestone(3, day(60)),
        ],
    )
    state = state_of(release)
    assert state.status == S.AT_RISK and state.reasons == ["avance_lento"]


@pytest.mark.parametrize(
    ("due", "days", "grade"),
    [
        (-12, 12, OverdueGrade.MILD),
        (-61, 61, OverdueGrade.MODERATE),
        (-137, 137, OverdueGrade.SEVERE),
    ],
)
def test_overdue_is_graded_by_days(due, days, grade):
    release = contract(milestones=[milestone(1, day(due)), milestone(2, day(100))])
    state = state_of(release)
    assert state.status == S.OVERDUE
    assert (state.days_overdue, state.overdue_grade) == (days, grade)
    assert state.late_deliveries == 1
    assert not state.flags[S.AT_RISK]  # an overdue contract is not «at risk»: it is late


def test_overdue_when_the_end_passed_with_deliveries_pending():
    release = contract(start=-400, end=-40, milestones=[milestone(1, day(-300), day(-290))])
    release["contracts"][0]["implementation"]["milestones"].append(milestone(2, None))
    state = state_of(release)
    assert state.status == S.OVERDUE and state.days_overdue == 40
    assert state.days_to_end == -40


def test_not_overdue_when_the_end_passed_with_every_delivery_met():
    release = contract(start=-400, end=-40, milestones=[milestone(1, day(-300), day(-300))])
    assert state_of(release).status == S.ON_TIME


def test_a_delivery_met_late_counts_as_a_late_delivery_but_is_not_overdue():
    release = contract(milestones=[milestone(1, day(-90), day(-70)), milestone(2, day(90))])
    state = state_of(release)
    assert state.status == S.ON_TIME and state.late_deliveries == 1


def test_paid_ahead_of_deliveries_beyond_the_margin():
    # 80 % paid, 50 % delivered: 30 points ahead (margin 20).
    release = on_track()
    release["contracts"][0]["implementation"]["transactions"].append(payment(2, day(-5), 400_000))
    state = state_of(release)
    assert state.status == S.PAID_AHEAD
    assert state.financial - state.physical == Decimal("0.3")


def test_paid_ahead_within_the_margin_is_on_time():
    release = on_track()
    release["contracts"][0]["implementation"]["transactions"].append(payment(2, day(-5), 200_000))
    assert state_of(release).status == S.ON_TIME  # 60 % paid, 50 % delivered


def test_the_margin_is_configurable():
    release = on_track()
    release["contracts"][0]["implementation"]["transactions"].append(payment(2, day(-5), 200_000))
    strict = Limits(paid_ahead_margin=Decimal("0.05"))
    assert state_of(release, limits=strict).status == S.PAID_AHEAD


def test_overpaid_above_the_amended_value():
    release = contract(
        milestones=[milestone(1, day(-10), day(-10))],
        payments=[payment(1, day(-9), 600_000), payment(2, day(-8), 450_000)],
    )
    state = state_of(release)
    assert state.status == S.OVERPAID and state.paid == Decimal("1050000")
    assert state.flags[S.OVERPAID]


def test_paid_exactly_the_value_is_not_overpaid():
    release = contract(
        milestones=[milestone(1, day(-10), day(-10))], payments=[payment(1, day(-9), 1_000_000)]
    )
    assert state_of(release).status == S.ON_TIME


def test_payments_in_another_currency_are_not_added():
    release = contract(
        milestones=[milestone(1, day(-10), day(-10))],
        payments=[payment(1, day(-9), 900_000), payment(2, day(-8), 900_000, currency="USD")],
    )
    state = state_of(release)
    assert state.paid == Decimal("900000") and state.status == S.ON_TIME


# --- the amendment limit (LAASSP art. 52) -------------------------------------------------------


def amended(amount, *, end=210):
    release = on_track(amount=amount, end=end)
    release["contracts"][0]["amendments"] = [{"id": "CM-1", "date": day(-20), "rationale": "x"}]
    return release


def test_amended_beyond_twenty_percent_of_the_value():
    original = versioned("ocds-test-mon-1", amount=1_000_000, start=-150, end=210)
    state = state_of(amended(1_250_000), versions=original)
    assert state.status == S.OVER_AMENDED
    assert state.original_amount == Decimal("1000000") and state.amount == Decimal("1250000")
    assert state.value_increase == Decimal("0.25")


def test_amended_by_exactly_twenty_percent_is_within_the_limit():
    original = versioned("ocds-test-mon-1", amount=1_000_000, start=-150, end=210)
    state = state_of(amended(1_200_000), versions=original)
    assert state.value_increase == Decimal("0.2") and state.status == S.ON_TIME


def test_amended_beyond_twenty_percent_of_the_period():
    # 360 days extended to 468: 30 % longer.
    original = versioned("ocds-test-mon-1", amount=1_000_000, start=-150, end=210)
    state = state_of(amended(1_000_000, end=318), versions=original)
    assert state.period_increase == Decimal("0.3") and state.status == S.OVER_AMENDED


# --- guarantees ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expiry", "warning"),
    [(-1, "vencida"), (20, "por_vencer"), (120, "no_cubre"), (240, "")],
)
def test_guarantee_expiry(expiry, warning):
    release = on_track(guarantees=[guarantee(day(expiry))])
    state = state_of(release)
    assert state.guarantee_warning == warning
    assert state.status == (S.AT_RISK if warning else S.ON_TIME)
    assert state.guarantees[0]["guarantor"] == "Afianzadora Nacional, S.A."


def test_an_expired_guarantee_of_a_closed_contract_is_no_warning():
    release = on_track(status="terminated", guarantees=[guarantee(day(-1))])
    state = state_of(release)
    assert state.guarantee_warning == "" and state.status == S.COMPLETED


# --- closing, precedence, penalties -------------------------------------------------------------


def test_a_terminated_contract_is_completed_even_with_deliveries_pending():
    release = contract(status="terminated", milestones=[milestone(1, day(-30))])
    state = state_of(release)
    assert state.status == S.COMPLETED and state.days_overdue == 0


def test_overpaid_outranks_overdue_and_both_flags_are_kept():
    release = contract(
        milestones=[milestone(1, day(-40))], payments=[payment(1, day(-30), 1_100_000)]
    )
    state = state_of(release)
    assert state.status == S.OVERPAID
    assert state.flags[S.OVERDUE] and state.flags[S.PAID_AHEAD] and state.flags[S.OVERPAID]


def test_penalties_are_added_up():
    penalty = {
        "id": "P1",
        "type": "penaConvencional",
        "value": {"amount": 12_500, "currency": "MXN"},
        "description": "Atraso de 5 días en la entrega 1",
        "date": day(-3),
    }
    state = state_of(on_track(penalties=[penalty, {**penalty, "id": "P2"}]))
    assert state.penalties_amount == Decimal("25000")
    assert state.penalties[0]["reason"] == "Atraso de 5 días en la entrega 1"


def test_cancelled_contracts_are_not_followed():
    view = ProcessView(ocid="x", entity_id=None, unit_id=None, release=contract(status="cancelled"))
    assert assess(view, TODAY, LIMITS) == []
