"""Issue 16, item 3: what the alert indicators read is captured — the contract names its award,
payments and milestones hang from their contract and every one survives later updates, an
amendment points at the release it amends and the record keeps the value before it."""

import orjson
import pytest

from ocds_pages.models import Record
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker

pytestmark = pytest.mark.django_db


def walk():
    walker = Walker(drafts.people())
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    walker.stage(process, "award", values.award())
    walker.stage(process, "contract", values.contract())
    walker.stage(process, "implementation", values.implementation(1))
    walker.stage(process, "contractAmendment", values.contract_amendment())
    walker.stage(process, "implementationUpdate", values.implementation(2))
    record = Record.objects.get(ocid=process.ocid)
    return orjson.loads(record.compiled_release), orjson.loads(record.versioned_release)


def test_what_the_indicators_read_is_in_the_record():
    compiled, versioned = walk()
    assert_contract_names_its_award(compiled)
    assert_payments_and_milestones_stay(compiled)
    assert_amendment_keeps_the_value_before(compiled, versioned)


def assert_contract_names_its_award(compiled):
    [award] = compiled["awards"]
    [contract] = compiled["contracts"]
    assert contract["awardID"] == award["id"]
    assert award["value"] == {"amount": 221500, "currency": "MXN"}


def assert_payments_and_milestones_stay(compiled):
    implementation = compiled["contracts"][0]["implementation"]
    payments = implementation["transactions"]
    assert len(payments) == 2
    assert {p["value"]["amount"] for p in payments} == {55375}
    assert all(p["value"]["currency"] == "MXN" for p in payments)
    assert all(p["payee"]["id"] for p in payments)
    titles = sorted(m["title"] for m in implementation["milestones"])
    assert titles == ["Entrega 1", "Entrega 2"]  # the second update does not overwrite the first


def assert_amendment_keeps_the_value_before(compiled, versioned):
    [contract] = compiled["contracts"]
    assert contract["value"]["amount"] == 265800
    [amendment] = contract["amendments"]
    assert amendment["amendsReleaseID"] and amendment["releaseID"]
    assert amendment["amendsReleaseID"] != amendment["releaseID"]
    history = [entry["value"] for entry in versioned["contracts"][0]["value"]["amount"]]
    assert history == [221500, 265800]
