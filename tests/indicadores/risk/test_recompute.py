"""The index is kept by the real engine: on each publication and by calcular_indicadores."""

import pytest
from django.core.management import call_command

from cms.jobs import create_job, execute
from cms.models import Job
from indicadores.risk.models import ALL, ALL_YEARS, ProcessRisk, RiskCut, RiskScore
from tests.factories import make_entity
from tests.indicadores import builders as b
from tests.ocds_pages.factories import SUPPLIER
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db


def scores() -> dict:
    """Every aggregate row: by year, and by year, procedure type and category."""
    found = {(r.entity_id, r.unit_id, r.year): r.tally for r in RiskScore.objects.all()}
    for r in RiskCut.objects.all():
        found[(r.entity_id, r.unit_id, r.year, r.procurement_method, r.category)] = r.tally
    return found


def test_a_publication_updates_the_index(django_capture_on_commit_callbacks):
    entity = make_entity()
    b.s3_sanction(name=SUPPLIER["name"], rfc=SUPPLIER["identifier"]["id"])
    with django_capture_on_commit_callbacks(execute=True):
        ocid = publish_process(entity, tenderers=1)
    process = ProcessRisk.objects.get(ocid=ocid)
    assert " MX-SANC " in process.flagged_codes and " R018 " in process.flagged_codes
    row = RiskScore.objects.get(entity=entity, unit=None, year=2025)
    assert row.processes == 1
    assert row.tally["i:MX-SANC"] == [1, 1, 0]
    assert row.tally["m:single_bid"] == [1, 1, 1]
    assert row.integrity is not None and row.index is not None


def test_calcular_indicadores_rebuilds_what_publications_built(django_capture_on_commit_callbacks):
    first, second = make_entity(), make_entity()
    with django_capture_on_commit_callbacks(execute=True):
        publish_process(first, tenderers=1)
        publish_process(first, method="direct", tenderers=1)
        publish_process(second, year=2024)
    incremental = scores()
    direct = RiskCut.objects.get(
        entity=first, unit=None, year=ALL_YEARS, procurement_method="direct", category=ALL
    )
    assert direct.processes == 1
    RiskScore.objects.all().delete()
    RiskCut.objects.all().delete()
    ProcessRisk.objects.all().delete()
    call_command("calcular_indicadores", "--sin-progreso", "--lote", "2", stdout=None)
    assert scores() == incremental
    assert ProcessRisk.objects.count() == 3
    assert RiskScore.objects.get(entity=first, unit=None, year=2025).processes == 2


def test_a_run_for_some_indicators_leaves_the_index_alone(django_capture_on_commit_callbacks):
    entity = make_entity()
    with django_capture_on_commit_callbacks(execute=True):
        publish_process(entity, tenderers=1)
    before = scores()
    call_command("calcular_indicadores", "--sin-progreso", "--indicador", "R018")
    assert scores() == before


def test_the_recompute_job_rebuilds_an_entity(django_capture_on_commit_callbacks):
    entity = make_entity()
    with django_capture_on_commit_callbacks(execute=True):
        publish_process(entity, tenderers=1)
    expected = scores()
    RiskScore.objects.all().delete()
    RiskCut.objects.all().delete()
    job = execute(create_job("calcular_indicadores", {}, entity=entity).pk)
    assert job.status == Job.Status.DONE, job.error
    assert scores() == expected
