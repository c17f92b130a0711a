"""Mirroring providers end to end: real clients, fakes on loopback, the mirror tables."""

import pytest

from devtools.fake_pdn import KNOWN, Generator
from integraciones.models import (
    S1Declaration,
    S2PublicServant,
    S3Sanction,
    SyncRun,
)
from integraciones.sync import registries_sync, registry_sync
from ocds_pages.party_keys import normalise_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "system, version, model, rows",
    [
        ("s1", "v2", S1Declaration, 23),
        ("s2", "v1", S2PublicServant, 23),
        ("s2", "v2", S2PublicServant, 23),
        ("s3", "v1", S3Sanction, 46),
        ("s3", "v2", S3Sanction, 92),
    ],
)
def test_a_complete_sync_mirrors_every_record(
    make_fake, make_provider, system, version, model, rows
):
    provider = make_provider(make_fake(system, version))

    run = registry_sync(provider=provider)

    provider.refresh_from_db()
    assert run.status == SyncRun.Status.OK
    assert run.rows == rows
    assert model.objects.filter(provider=provider).count() == rows
    assert provider.last_success_at == run.finished_at
    assert run.checkpoint == {}


def test_s3_mirror_keeps_keys_and_the_inhabilitacion_period(make_fake, make_provider):
    provider = make_provider(make_fake("s3", "v1"))

    registry_sync(provider=provider)

    company = S3Sanction.objects.get(rfc=KNOWN["s3_company"]["rfc"])
    assert company.subject == S3Sanction.Subject.COMPANY
    assert company.name_normalised == "CONSTRUCTORA DEL VALLE"
    assert company.raw["particularSancionado"]["nombreRazonSocial"] == KNOWN["s3_company"]["name"]
    period = company.disqualifications.get()
    assert str(period.start) == KNOWN["s3_company"]["start"]
    assert str(period.end) == KNOWN["s3_company"]["end"]
    servant = S3Sanction.objects.get(curp=KNOWN["s3_servant"]["curp"])
    assert servant.subject == S3Sanction.Subject.SERVANT


def test_s3_v2_mirror_reads_the_inhabilitacion_of_each_sanction(make_fake, make_provider):
    provider = make_provider(make_fake("s3", "v2"))

    registry_sync(provider=provider)

    company = S3Sanction.objects.get(rfc=KNOWN["s3v2_company"]["rfc"])
    assert company.collection == "faltas_graves_personas_morales"
    assert company.serious is True
    period = company.disqualifications.get()
    assert (str(period.start), str(period.end)) == (
        KNOWN["s3v2_company"]["start"],
        KNOWN["s3v2_company"]["end"],
    )
    assert period.term == "5 años"


def test_s2_v2_mirror_records_procedures_and_beneficiaries(make_fake, make_provider):
    provider = make_provider(make_fake("s2", "v2"))

    registry_sync(provider=provider)

    servant = S2PublicServant.objects.get(rfc=KNOWN["s2v2_servant"]["rfc"])
    procedure = servant.procedures.get(file_number=KNOWN["s2v2_servant"]["file_number"])
    assert procedure.procedure_kind == "ADJUDICACION"
    assert procedure.area == "AREA_RESPONSABLE_CONTRATACION"
    beneficiary = servant.beneficiaries.get()
    assert beneficiary.name_normalised == "CONSTRUCTORA DEL VALLE"
    assert beneficiary.file_numbers == [KNOWN["s2v2_servant"]["file_number"]]


def test_s1_mirror_keeps_declarant_job_and_company_participations(make_fake, make_provider):
    provider = make_provider(make_fake("s1", "v2"))

    registry_sync(provider=provider)

    known = KNOWN["s1_declarant"]
    declaration = S1Declaration.objects.get(rfc=known["rfc"])
    assert declaration.curp == known["curp"]
    assert declaration.entity_name == known["entity"]
    assert declaration.job_title == known["job"]
    participation = declaration.participations.get()
    assert participation.rfc == known["company_rfc"]
    assert participation.name_normalised == normalise_name(known["company"])
    assert (participation.percentage, participation.kind, participation.relation) == (
        60,
        "ACCI",
        "DECLARANTE",
    )


def test_rows_gone_upstream_are_removed_only_by_a_complete_run(make_fake, make_provider):
    provider = make_provider(make_fake("s2", "v1"))
    registry_sync(provider=provider)
    smaller = make_fake("s2", "v1", size=10)
    provider.url, provider.token_url = smaller.url, smaller.token_url
    provider.save()

    run = registry_sync(provider=provider)

    assert run.status == SyncRun.Status.OK
    assert S2PublicServant.objects.filter(provider=provider).count() == 10


def test_a_directus_that_caps_the_limit_is_still_read_to_the_end(make_fake, make_provider):
    fake = make_fake("s3", "v2", max_limit=3)  # the sync asks for 5 per page

    run = registry_sync(provider=make_provider(fake))

    assert run.status == SyncRun.Status.OK
    assert S3Sanction.objects.count() == 92
    assert {r["size"] for r in fake.data_requests} == {3}


def test_sync_of_one_system_or_one_provider(make_fake, make_provider):
    s2 = make_provider(make_fake("s2", "v1"))
    s3 = make_provider(make_fake("s3", "v1"))

    by_system = registries_sync(system="s3")
    by_name = registries_sync(provider_name=s2.name)

    assert [run.provider for run in by_system] == [s3]
    assert [run.provider for run in by_name] == [s2]


def test_fake_data_is_deterministic():
    first = Generator(system="s3", version="v2", size=4)
    second = Generator(system="s3", version="v2", size=4)

    assert first.records("faltas_administrativas_graves") == second.records(
        "faltas_administrativas_graves"
    )
