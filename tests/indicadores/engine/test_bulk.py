"""indicadores/engine/bulk.py: row digests (stable for equal values, trusted per thread) and
``bulk_insert`` (COPY on PostgreSQL)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

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


def _flag_count(party_id: str, processes: int = 1):
    from indicadores.risk.models import SupplierFlagCount

    return SupplierFlagCount(
        entity_ref=0,
        unit_ref=0,
        year=2026,
        procurement_method="direct",
        category="goods",
        party_id=party_id,
        code="MX-SANC",
        processes=processes,
    )


@pytest.mark.django_db
def test_bulk_insert_writes_the_rows_with_their_keys_and_counts_as_queries(
    django_assert_num_queries,
):
    from indicadores.risk.models import SupplierFlagCount

    rows = [_flag_count("MX-RFC-AAA010101AAA", 2), _flag_count("MX-RFC-BBB020202BBB", 3)]
    # PostgreSQL: the keys drawn, then one COPY; other databases: bulk_create's INSERT.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 1):
        bulk.bulk_insert(SupplierFlagCount, rows, with_keys=True)
    stored = SupplierFlagCount.objects.in_bulk([row.pk for row in rows])
    assert [stored[row.pk].processes for row in rows] == [2, 3]
    assert stored[rows[0].pk].party_id == "MX-RFC-AAA010101AAA"


@pytest.mark.django_db(transaction=True)
def test_bulk_insert_raises_djangos_integrity_error_on_a_violated_constraint():
    """A concurrent writer that stored the same row first: the caller catches IntegrityError
    and retries (indicadores/alerts.py, record_batch), as with bulk_create."""
    from indicadores.risk.models import SupplierFlagCount

    bulk.bulk_insert(SupplierFlagCount, [_flag_count("MX-RFC-AAA010101AAA")])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.bulk_insert(SupplierFlagCount, [_flag_count("MX-RFC-AAA010101AAA")])
    assert SupplierFlagCount.objects.count() == 1
