"""Shared helpers of the indicator tests."""

import pytest

from indicadores.engine.core import Context, indicator


@pytest.fixture
def outcomes_of(db):
    """outcomes_of(code, view) -> the outcomes of one indicator for one process."""

    def evaluate(code, process_view):
        item = indicator(code)
        return item.evaluate(process_view, Context([process_view]))

    return evaluate
