"""The dashboard's stored alert counts (``AlertCount``) equal the alerts counted from their rows,
after publications, after a person moves an alert, after a process changes its procedure type,
and after the set-based rebuild."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Sum
from django.utils import timezone

from cms.models import PurchasingUnit
from cms.roles import Role
from indicadores import alerts as lifecycle
from indicadores.models import Alert, AlertStatus
from indicadores.risk import counts, dashboard
from indicadores.risk.models import (
    AlertCount,
    ProcessRisk,
    SupplierCut,
    SupplierFlagCount,
    SupplierRisk,
)
from tests.factories import make_entity, make_member, make_unit
from tests.indicadores.risk import dataset as d
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def salud():
    entity = make_entity(key="SALUD")
    d.plant(entity, make_unit(entity, key="U1"), make_unit(entity, key="U2"))
    return entity


@pytest.fixture
def sep():
    entity = make_entity(key="SEP")
    data, outcomes = d.p2(entity)
    d.send(data, entity, make_unit(entity, key="SEP-U1"), outcomes)
    return entity


def from_rows(filters: dashboard.Filters) -> list[list]:
    """The alerts table as it was computed before the stored counts: from the alerts and their
    processes' index rows (ages in whole UTC days, as the counts keep them)."""
    rows = Alert.objects.all()
    if filters.entity_ids is not None:
        rows = rows.filter(entity_id__in=filters.entity_ids)
    if filters.entity:
        rows = rows.filter(entity=filters.entity)
    if filters.unit:
        rows = rows.filter(unit=filters.unit)
    if filters.year or filters.fine:
        rows = rows.filter(Exists(filters.processes().filter(ocid=OuterRef("ocid"))))
    today = counts.day_of(timezone.now())
    table = []
    for status, label in AlertStatus.choices:
        mine = [
            counts.day_of(moment)
            for moment in rows.filter(status=status).values_list("first_computed_at", flat=True)
        ]
        ages = [(today - day).days for day in mine]
        cells = [
            sum(1 for age in ages if low < age <= high)
            for low, high in ((-1, 30), (30, 90), (90, 180), (180, 10**6))
        ]
        table.append([str(label), *cells, len(mine)])
    return table


def cuts(salud, sep) -> list[dashboard.Filters]:
    unit = PurchasingUnit.objects.get(key="U1")
    return [
        dashboard.Filters(entity_ids=None),
        dashboard.Filters(entity_ids=None, method="direct"),
        dashboard.Filters(entity_ids=None, year=2025, category="goods"),
        dashboard.Filters(entity_ids=[salud.pk, sep.pk]),
        dashboard.Filters(entity_ids=[salud.pk], entity=salud),
        dashboard.Filters(entity_ids=[salud.pk], entity=salud, unit=unit),
        dashboard.Filters(entity_ids=[salud.pk], entity=salud, unit=unit, method="open"),
        dashboard.Filters(entity_ids=[sep.pk], entity=sep, year=2025),
    ]


def assert_same(salud, sep):
    for filters in cuts(salud, sep):
        assert dashboard._alert_table(filters).rows == from_rows(filters), filters


def test_after_publication_the_counts_equal_the_rows(salud, sep):
    assert Alert.objects.count() == 8
    national = dashboard._alert_table(dashboard.Filters(entity_ids=None)).rows
    assert national[0] == ["Abierta", 8, 0, 0, 0, 8]
    assert_same(salud, sep)


def test_a_status_change_moves_the_counts(salud, sep):
    oic = make_member(Role.OIC, salud)
    alert = Alert.objects.filter(entity=salud, code="MX-ADMAX").get()
    lifecycle.change_status(alert=alert, user=oic, to_status=AlertStatus.IN_REVIEW)
    lifecycle.change_status(
        alert=alert, user=oic, to_status=AlertStatus.DISMISSED, text="Justificada."
    )
    table = {row[0]: row for row in dashboard._alert_table(dashboard.Filters(None)).rows}
    assert table["Abierta"][-1] == 7 and table["Descartada"][-1] == 1
    assert table["En revisión"][-1] == 0
    assert_same(salud, sep)


def test_a_process_that_changes_its_procedure_moves_its_alerts(salud, sep):
    """P1 (open, one alert) is published again as a direct award: its alert follows it."""
    data, outcomes = d.p1(salud)
    data["tender"].update(d.direct())
    d.send(data, salud, None, outcomes)
    assert ProcessRisk.objects.get(ocid=data["ocid"]).procurement_method == "direct"
    direct = dashboard.Filters(entity_ids=None, method="direct")
    assert dashboard._alert_table(direct).rows[0][-1] == 5  # P2 of both (2 + 2) and P1
    assert_same(salud, sep)


def test_old_alerts_fall_in_their_age_buckets(salud, sep):
    """Ages are whole UTC days since the alert was first flagged."""
    now = timezone.now()
    for code, days in (("MX-DOCS", 45), ("R003", 120), ("MX-ADMAX", 400)):
        Alert.objects.filter(code=code).update(first_computed_at=now - datetime.timedelta(days))
    counts.rebuild()
    table = dashboard._alert_table(dashboard.Filters(entity_ids=None)).rows
    # MX-DOCS flags P1 and P3; MX-ADMAX flags P2 of both entities; MX-SANC (2) and R018 stay.
    assert table[0] == ["Abierta", 3, 2, 1, 2, 8]
    assert_same(salud, sep)


def test_the_rebuild_writes_what_the_signals_kept(salud, sep):
    kept = sorted(AlertCount.objects.exclude(alerts=0).values_list(*counts.CELL, "alerts"))
    counts.rebuild()
    assert sorted(AlertCount.objects.values_list(*counts.CELL, "alerts")) == kept
    # A change the signals did not see (a bulk update) is put right by rebuilding the entity,
    # which moves every entity's counts by the difference.
    Alert.objects.filter(entity=salud, code="MX-DOCS").update(status=AlertStatus.CONFIRMED)
    counts.rebuild([salud.pk])
    table = {row[0]: row for row in dashboard._alert_table(dashboard.Filters(None)).rows}
    assert table["Confirmada"][-1] == 2 and table["Abierta"][-1] == 6
    assert_same(salud, sep)


# --- the suppliers of each cut ------------------------------------------------------------------


def suppliers_from_rows(filters: dashboard.Filters) -> list[dict]:
    """The top suppliers as they were computed before the stored sums: from every supplier row."""
    rows = (
        filters.narrow(SupplierRisk.objects.all())
        .values("party_id")
        .annotate(
            name=Max("name"),
            identifier=Max("identifier"),
            processes=Count("pk"),
            amount=Sum("amount"),
        )
        .order_by(F("amount").desc(nulls_last=True), "party_id")
    )
    # The table shows an empty sum as zero; the stored sums keep zero.
    return [{**row, "amount": row["amount"] or 0} for row in rows[: dashboard.TOP_SUPPLIERS]]


def flags_from_rows(filters: dashboard.Filters, party_ids: list[str]) -> dict:
    """The top suppliers' findings as they were computed before the stored counts."""
    found: dict[str, tuple[int, dict]] = {}
    rows = filters.narrow(SupplierRisk.objects.filter(party_id__in=party_ids))
    for party_id, flagged_codes in rows.exclude(flagged_codes="").values_list(
        "party_id", "flagged_codes"
    ):
        count, by_code = found.get(party_id, (0, {}))
        for code in flagged_codes.split():
            by_code[code] = by_code.get(code, 0) + 1
        found[party_id] = (count + 1, by_code)
    return found


def assert_same_suppliers(filters: dashboard.Filters):
    top = dashboard._top_suppliers(filters)
    assert top == suppliers_from_rows(filters), filters
    parties = [row["party_id"] for row in top]
    assert dashboard._supplier_flags(filters, parties) == flags_from_rows(filters, parties)


def stored_suppliers():
    columns = [*counts.SUPPLIER_CELL, "name", "identifier", "processes", "priced", "amount"]
    return sorted(SupplierCut.objects.exclude(processes=0).values_list(*columns))


def stored_flags():
    columns = [*counts.FLAG_CELL, "processes"]
    return sorted(SupplierFlagCount.objects.exclude(processes=0).values_list(*columns))


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    imss, issste = make_entity(key="IMSS"), make_entity(key="ISSSTE")
    with django_capture_on_commit_callbacks(execute=True):
        publish_process(imss)
        publish_process(imss, method="direct", supplier_name="Otra razón social")
        publish_process(imss, method="direct", year=2024, awarded=False)
        publish_process(issste, tenderers=1)
    return imss, issste


def test_after_publication_the_supplier_sums_equal_the_rows(published):
    imss, issste = published
    assert SupplierRisk.objects.count() == 3
    for filters in (
        dashboard.Filters(entity_ids=None),
        dashboard.Filters(entity_ids=None, method="direct"),
        dashboard.Filters(entity_ids=None, year=2024),
        dashboard.Filters(entity_ids=[imss.pk], entity=imss),
        dashboard.Filters(entity_ids=[imss.pk, issste.pk]),
        dashboard.Filters(entity_ids=[issste.pk], entity=issste, method="open"),
    ):
        assert_same_suppliers(filters)
    top = dashboard._top_suppliers(dashboard.Filters(entity_ids=None))
    assert [row["processes"] for row in top] == [3]
    flags = dashboard._supplier_flags(dashboard.Filters(entity_ids=None), [top[0]["party_id"]])
    assert flags and flags[top[0]["party_id"]][0] >= 1  # ISSSTE's single bid (R018) at least


def test_the_supplier_rebuild_writes_what_the_publications_kept(published):
    imss, _issste = published
    kept, flags = stored_suppliers(), stored_flags()
    counts.rebuild_suppliers()
    counts.rebuild_flags()
    assert stored_suppliers() == kept and stored_flags() == flags
    # A supplier row changed behind the sums' back is put right by rebuilding its entity, and
    # every entity's sums move by the difference.
    SupplierRisk.objects.filter(entity=imss, procurement_method="direct").update(
        amount=None, flagged_codes=" MX-ADMAX R018 "
    )
    counts.rebuild_suppliers([imss.pk])
    counts.rebuild_flags([imss.pk])
    national = dashboard.Filters(entity_ids=None)
    assert_same_suppliers(national)
    direct = dashboard.Filters(entity_ids=None, method="direct")
    assert_same_suppliers(direct)
    assert dashboard._supplier_flags(direct, ["x"]) == {}
    assert dashboard._top_suppliers(direct)[0]["amount"] == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="GROUPING SETS is the PostgreSQL form"
)
def test_grouping_sets_write_what_the_joined_cuts_write(salud, sep, published):
    """PostgreSQL's rebuild queries group each row once per cut; the portable ones join it to
    the 24 cuts. Both write the same rows, for every entity and for some."""
    # An alert whose process has no index row counts only in the cuts of every year, type and
    # category.
    orphan = Alert.objects.filter(entity=salud).values("ocid")[:1]
    assert ProcessRisk.objects.filter(ocid__in=orphan).delete()[0]
    queries = [
        (counts.alert_counts_sql, AlertCount),
        (counts.supplier_cuts_sql, SupplierCut),
        (counts.flag_counts_sql, SupplierFlagCount),
    ]
    for entity_ids in (None, [salud.pk, published[0].pk]):
        for build, model in queries:
            columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            written = []
            for grouping_sets in (False, True):
                model.objects.all().delete()
                with connection.cursor() as cursor:
                    sql = build(entity_ids, grouping_sets=grouping_sets)
                    cursor.execute(sql, list(entity_ids or []))
                written.append(sorted(model.objects.values_list(*columns)))
            assert written[0] and written[0] == written[1], (model.__name__, entity_ids)
            if entity_ids is not None:
                assert not model.objects.filter(entity_ref=0).exists()  # not every entity's
