"""The monitoring statuses that are red flags: positive, negative and not-computable cases."""

from django.utils import timezone

from indicadores.engine.process import ProcessView
from indicadores.outcomes import OutcomeStatus, Severity
from tests.indicadores.monitoring.contracts import contract, day, guarantee, milestone, payment

FLAGGED, CLEAR, UNKNOWN = (
    OutcomeStatus.FLAGGED,
    OutcomeStatus.NOT_FLAGGED,
    OutcomeStatus.NOT_COMPUTABLE,
)


def view_of(release):
    return ProcessView(ocid=release["ocid"], entity_id=None, unit_id=None, release=release)


def today_contract(**kwargs):
    """A contract dated around the real today (the indicators assess as of today)."""
    today = timezone.localdate()
    for key in ("milestones", "payments", "guarantees"):
        kwargs[key] = [row(today) for row in kwargs.get(key, ())]
    return contract(today=today, **kwargs)


def late(days):
    return lambda today: milestone(1, day(-days, today))


def test_overdue_flags_with_severity_by_days(outcomes_of):
    for days, severity in ((10, Severity.LOW), (45, Severity.MEDIUM), (120, Severity.HIGH)):
        (outcome,) = outcomes_of("MX-OVERDUE", view_of(today_contract(milestones=[late(days)])))
        assert (outcome.status, outcome.severity) == (FLAGGED, severity)
        assert outcome.evidence["days_overdue"] == days
        assert f"lleva {days} días de atraso" in outcome.explanation
        assert "Entrega 1" in outcome.explanation


def test_overdue_clear_when_deliveries_are_on_time(outcomes_of):
    on_time = [lambda today: milestone(1, day(30, today))]
    (outcome,) = outcomes_of("MX-OVERDUE", view_of(today_contract(milestones=on_time)))
    assert outcome.status == CLEAR


def test_overdue_not_computable_without_milestones_or_end(outcomes_of):
    release = today_contract()
    del release["contracts"][0]["period"]["endDate"]
    (outcome,) = outcomes_of("MX-OVERDUE", view_of(release))
    assert outcome.status == UNKNOWN and "contracts/period/endDate" in outcome.missing


def test_paid_ahead(outcomes_of):
    release = today_contract(
        milestones=[lambda t: milestone(1, day(30, t)), lambda t: milestone(2, day(60, t))],
        payments=[lambda t: payment(1, day(-1, t), 500_000)],
    )
    (outcome,) = outcomes_of("MX-PAYAHEAD", view_of(release))
    assert outcome.status == FLAGGED
    assert (
        "se ha pagado el 50 %" in outcome.explanation and "entregado el 0 %" in outcome.explanation
    )


def test_paid_ahead_clear_and_not_computable(outcomes_of):
    met = [lambda t: milestone(1, day(-3, t), day(-3, t)), lambda t: milestone(2, day(60, t))]
    paid = [lambda t: payment(1, day(-1, t), 500_000)]
    (clear,) = outcomes_of("MX-PAYAHEAD", view_of(today_contract(milestones=met, payments=paid)))
    assert clear.status == CLEAR
    (unknown,) = outcomes_of("MX-PAYAHEAD", view_of(today_contract(payments=paid)))
    assert unknown.status == UNKNOWN
    assert outcomes_of("MX-PAYAHEAD", view_of(today_contract(milestones=met))) == []


def test_guarantee_expired_and_valid(outcomes_of):
    expired = [lambda t: guarantee(day(-2, t))]
    (outcome,) = outcomes_of("MX-GUARANTEE", view_of(today_contract(guarantees=expired)))
    assert (outcome.status, outcome.severity) == (FLAGGED, Severity.MEDIUM)
    assert "venció" in outcome.explanation
    valid = [lambda t: guarantee(day(400, t))]
    (outcome,) = outcomes_of("MX-GUARANTEE", view_of(today_contract(guarantees=valid)))
    assert outcome.status == CLEAR


def test_guarantee_without_validity_is_not_computable(outcomes_of):
    release = today_contract(guarantees=[lambda t: guarantee(day(10, t))])
    del release["contracts"][0]["guarantees"][0]["period"]
    (outcome,) = outcomes_of("MX-GUARANTEE", view_of(release))
    assert outcome.status == UNKNOWN


def test_over_payment_is_the_existing_indicator(outcomes_of):
    """«Pagado de más» is MX-OVERPAY's finding: one indicator, not two."""
    from indicadores.engine.core import indicators

    codes = [item.code for item in indicators()]
    assert codes.count("MX-OVERPAY") == 1 and "MX-OVERDUE" in codes
    release = today_contract(payments=[lambda t: payment(1, day(-1, t), 1_100_000)])
    (outcome,) = outcomes_of("MX-OVERPAY", view_of(release))
    assert outcome.status == FLAGGED
