"""End to end: a supplier sanctioned in the S3 mirror, seen by the approver before signing.

Nothing is stood in for: the S3 mirror is synced from the fake PDN server (devtools/fake_pdn.py)
by the real client, the workflow runs over HTTP, and the findings come from the indicator engine
that ``indicadores`` registers in ``workflows.processes.integrity`` from its ``ready()``.
"""

import pytest

from devtools.fake_pdn import KNOWN, FakeRegistryServer
from indicadores.models import Alert
from integraciones.models import RegistryProvider, S3Sanction, SyncRun
from integraciones.sync import registry_sync
from ocds_pages.models import Release
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.processes import process_services
from workflows.processes.process_models import AuditAction, AuditEntry, IntegrityOverride

pytestmark = pytest.mark.django_db

SANCTIONED = KNOWN["s3_company"]  # inhabilitada 2024-01-15 → 2027-01-14 in the fake S3


@pytest.fixture
def s3_mirror(settings):
    """The S3 mirror synced from a fake PDN provider on loopback (stopped after the sync)."""
    settings.REGISTROS_BACKOFF_SECONDS = 0.0
    with FakeRegistryServer(system="s3", version="v1") as fake:
        provider = RegistryProvider.objects.create(**fake.provider_fields(name="S3 SABG (prueba)"))
        run = registry_sync(provider=provider)
    assert run.status == SyncRun.Status.OK, run.message
    return S3Sanction.objects.get(rfc=SANCTIONED["rfc"])


def award_to_sanctioned_in_review(world, walker):
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    walker.start("capturista", process, "award")
    captured = values.award()
    captured["proveedores"] = [{"nombre": SANCTIONED["name"], "rfc": SANCTIONED["rfc"]}]
    walker.capture("capturista", process, "award", captured)
    return process, walker.run(process, "award")


def test_a_sanctioned_supplier_blocks_the_award_until_justified(
    s3_mirror, django_capture_on_commit_callbacks
):
    world = drafts.people()
    walker = Walker(world)
    process, run = award_to_sanctioned_in_review(world, walker)
    url = f"/tramite/tareas/{process_services.active_task(run).pk}/"

    # The approver sees the finding, blocking, with the registry row that matched.
    page = walker.as_("aprobador").get(url).content.decode()
    panel = page[page.index('data-testid="hallazgos-integridad"') : page.index('id="decision"')]
    assert 'data-testid="hallazgo-MX-SANC"' in panel
    assert "Bloquea la aprobación" in panel
    assert SANCTIONED["name"] in panel
    assert "S3 SABG (prueba)" in panel  # the registry row's source…
    assert "RFC idéntico" in panel  # …how it matched
    assert "14/01/2027" in panel  # …and the inhabilitación's end
    [finding] = [f for f in process_services.stage_findings(run) if f.code == "MX-SANC"]
    assert finding.blocking and finding.severity == "high"

    # Without a justification nothing is published.
    published = Release.objects.filter(ocid=process.ocid).count()
    refused = walker.as_("aprobador").post(url, {"accion": "aprobar"})
    assert refused.status_code == 422
    assert Release.objects.filter(ocid=process.ocid).count() == published

    # With it, the award is published and the justification kept with the evidence.
    reason = "Suspensión provisional de la inhabilitación concedida por el juzgado; oficio 45/2026."
    with django_capture_on_commit_callbacks(execute=True):
        approved = walker.as_("aprobador").post(
            url, {"accion": "aprobar", process_services.finding_key(finding): reason}
        )
    assert approved.status_code == 302, approved.content.decode()[-2000:]
    assert Release.objects.filter(ocid=process.ocid).count() == published + 1
    override = IntegrityOverride.objects.get(code="MX-SANC")
    assert override.justification == reason and override.user == world["aprobador"]
    assert s3_mirror.file_number in str(override.evidence)
    assert AuditEntry.objects.filter(
        contracting_process=process, action=AuditAction.INTEGRITY_OVERRIDE
    ).exists()
    # The publication reached the alert system: the OIC has the alert in its queue.
    assert Alert.objects.filter(ocid=process.ocid, code="MX-SANC").exists()


def test_a_clean_supplier_raises_no_blocking_finding(s3_mirror):
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    walker.start("capturista", process, "award")
    walker.capture("capturista", process, "award", values.award())
    run = walker.run(process, "award")
    assert not [f for f in process_services.stage_findings(run) if f.blocking]
    walker.decide("aprobador", process, "award")
    assert not IntegrityOverride.objects.exists()
