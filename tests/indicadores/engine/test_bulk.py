"""Row digests (indicadores/engine/bulk.py): stable for equal values, and trusted per thread."""

import datetime
import threading
from decimal import Decimal

from indicadores.engine import bulk


def test_a_fingerprint_is_the_same_for_equal_values_in_any_key_order():
    one = bulk.fingerprint({"b": Decimal("1.50"), "a": [1, (2, 3)]}, datetime.date(2026, 1, 2))
    two = bulk.fingerprint({"a": [1, [2, 3]], "b": Decimal("1.50")}, datetime.date(2026, 1, 2))
    assert one == two and len(one) == 32
    assert bulk.fingerprint({"a": 1}) != bulk.fingerprint({"a": 2})


def test_verifying_distrusts_digests_in_its_own_thread_only():
    """A recompute job without a queue runs in a thread of the web process: its whole
    comparison must not make that process's publications distrust digests."""
    seen = []
    with bulk.verifying():
        other = threading.Thread(target=lambda: seen.append(bulk.trusting()))
        other.start()
        other.join()
        assert not bulk.trusting()
        with bulk.verifying(False):
            assert not bulk.trusting()  # an inner scope cannot trust again
    assert seen == [True]
    assert bulk.trusting()
