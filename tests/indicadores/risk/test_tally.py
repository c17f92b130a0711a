"""Adding tallies (indicadores/risk/tally.py): sums kept tidy, keys at zero dropped."""

from indicadores.risk.tally import add, subtract


def test_adding_to_new_keys_copies_the_values_tidied():
    other = {"n": [2], "amount": [1234.50000001], "i:R018": [1, 0, 0], "zero": [0, 0.0]}
    total = add({}, other)
    assert total == {"n": [2], "amount": [1234.5], "i:R018": [1, 0, 0]}
    assert type(total["n"][0]) is int and total["n"] is not other["n"]
    total["n"][0] = 7
    assert other["n"] == [2]  # a copy, not the other's list


def test_adding_and_subtracting_keeps_sums_tidy_and_drops_keys_at_zero():
    total = add({}, {"n": [1], "amount": [0.1]})
    add(total, {"n": [2], "amount": [0.2]})
    assert total == {"n": [3], "amount": [0.3]}  # not 0.30000000000000004
    subtract(total, {"n": [3], "amount": [0.3]})
    assert total == {}
    assert subtract({}, {"n": [1], "amount": [2.0]}) == {"n": [-1], "amount": [-2]}
