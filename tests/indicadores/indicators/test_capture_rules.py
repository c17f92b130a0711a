"""MX-LAASSP: our capture rules on imported data reach the OIC's alert queue (issue 22, item 9).

An imported process that breaks a capture rule is imported (OCDS allows it), the import warns,
and the finding opens an alert for the OIC of its entity; ``calcular_indicadores`` finds the same
from what is stored.
"""

import io

import orjson
import pytest
from django.core.management import call_command

from cms.roles import Role
from indicadores.engine.core import indicator
from indicadores.engine.process import ProcessView
from indicadores.engine.runner import run
from indicadores.models import Alert
from indicadores.outcomes import OutcomeStatus
from indicadores.signals import outcomes_computed
from ocds_pages.models import Record
from tests.factories import PASSWORD, make_member
from tests.ocds_pages.factories import (
    make_award_release,
    make_contract_release,
    make_entity,
    make_tender_release,
)

pytestmark = pytest.mark.django_db

QUEUE = "/tramite/alertas/"
OCID = "ocds-zzzzzz-IMSS-70"


@pytest.fixture
def received():
    """The MX-LAASSP outcomes of every outcomes_computed sent during the test, by ocid."""
    found: dict[str, list] = {}

    def listener(sender, *, ocid, outcomes, **kwargs):
        found[ocid] = [outcome for outcome in outcomes if outcome.code == "MX-LAASSP"]

    outcomes_computed.connect(listener, dispatch_uid="test-capture-rules-listener")
    yield found
    outcomes_computed.disconnect(dispatch_uid="test-capture-rules-listener")


def process(entity, *, signed: str, ocid=OCID) -> list[dict]:
    """Tender, award (dated 2025-03-05 12:00) and a contract signed at ``signed``."""
    return [
        make_tender_release(ocid=ocid, entity=entity),
        make_award_release(ocid=ocid, entity=entity),
        make_contract_release(ocid=ocid, entity=entity, contract={"dateSigned": signed}),
    ]


def import_file(tmp_path, releases, capture) -> tuple[str, str]:
    path = tmp_path / "tercero.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(release) for release in releases))
    out, err = io.StringIO(), io.StringIO()
    with capture(execute=True):  # release_published runs when the process commits
        call_command("importar_ocds", str(path), "--sin-progreso", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_contract_signed_before_its_award_is_imported_warned_and_queued_for_the_oic(
    tmp_path, client, received, django_capture_on_commit_callbacks
):
    entity = make_entity()
    oic = make_member(Role.OIC, entity)
    releases = process(entity, signed="2025-03-05T08:00:00-06:00")

    out, err = import_file(tmp_path, releases, django_capture_on_commit_callbacks)

    assert "Importadas: 3" in out  # valid OCDS: imported, not refused
    assert "Avisos de las reglas de captura: 1" in out
    assert f"tercero.jsonl:3: contracts/0/dateSigned: El contrato {OCID}-contract-1" in err
    alert = Alert.objects.get(ocid=OCID, code="MX-LAASSP")
    assert alert.entity_id == entity.pk
    assert alert.subject == f"{OCID}-contract-1"
    assert alert.evidence | {"thresholds": {}} == {
        "thresholds": {},
        "rule": "contract_signed_before_award",
        "rule_text": alert.evidence["rule_text"],
        "source": "LAASSP art. 46",
        "contract": f"{OCID}-contract-1",
        "award": f"{OCID}-award-1",
        "date_signed": "2025-03-05T08:00:00-06:00",
        "award_date": "2025-03-05T12:00:00-06:00",
        "release_id": releases[2]["id"],
    }
    assert "antes de la adjudicación" in alert.explanation
    assert client.login(username=oic.username, password=PASSWORD)
    queue = client.get(QUEUE, {"code": "MX-LAASSP"})
    assert [row.pk for row in queue.context["page"]] == [alert.pk]

    # The set-based entry point finds the same from the stored data alone.
    on_import = received.pop(OCID)
    run(queryset=Record.objects.filter(ocid=OCID), selected=[indicator("MX-LAASSP")])
    assert received[OCID] == on_import
    assert [outcome.status for outcome in on_import] == [OutcomeStatus.FLAGGED]


def test_a_clean_import_makes_no_finding(tmp_path, received, django_capture_on_commit_callbacks):
    entity = make_entity()
    releases = process(entity, signed="2025-03-12T09:00:00-06:00")

    out, err = import_file(tmp_path, releases, django_capture_on_commit_callbacks)

    assert "Importadas: 3" in out and "Avisos de las reglas de captura: 0" in out
    assert not Alert.objects.filter(code="MX-LAASSP").exists()
    assert [outcome.status for outcome in received[OCID]] == [OutcomeStatus.NOT_FLAGGED]


def test_a_contract_without_its_dates_is_not_computable_and_naming_what_is_missing(
    outcomes_of,
):
    release = {
        "ocid": OCID,
        "awards": [{"id": "a1", "date": "2025-03-05T12:00:00-06:00"}, {"id": "a2"}],
        "contracts": [
            {"id": "c1", "awardID": "a1"},
            {"id": "c2", "awardID": "a2", "dateSigned": "2025-03-06T12:00:00-06:00"},
        ],
    }
    view = ProcessView(ocid=OCID, entity_id=None, unit_id=None, release=release)

    outcomes = outcomes_of("MX-LAASSP", view)

    assert [(o.subject, o.status, o.missing) for o in outcomes] == [
        ("c1", OutcomeStatus.NOT_COMPUTABLE, ("contracts/dateSigned",)),
        ("c2", OutcomeStatus.NOT_COMPUTABLE, ("awards/date",)),
    ]


def test_a_process_without_contracts_is_not_eligible(outcomes_of):
    view = ProcessView(ocid=OCID, entity_id=None, unit_id=None, release={"awards": [{"id": "a1"}]})
    assert outcomes_of("MX-LAASSP", view) == []
