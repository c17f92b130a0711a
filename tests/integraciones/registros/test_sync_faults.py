"""The sync under the faults of a real network: it reports, resumes, and loses nothing."""

import pytest
from django.core.management import CommandError, call_command

from integraciones.models import S2PublicServant, S3Sanction, SyncRun
from integraciones.sync import registry_sync

pytestmark = pytest.mark.django_db


def mirrored(provider, model=S2PublicServant):
    return set(model.objects.filter(provider=provider).values_list("external_id", "rfc"))


@pytest.fixture
def synced(make_fake, make_provider):
    """An S2 v1 provider already mirrored once; tests break its server afterwards."""
    fake = make_fake("s2", "v1")
    provider = make_provider(fake)
    assert registry_sync(provider=provider).status == SyncRun.Status.OK
    return fake, provider, mirrored(provider)


def assert_failed_and_kept(run, provider, before, *, message):
    provider.refresh_from_db()
    assert run.status == SyncRun.Status.ERROR
    assert message in run.error_message
    assert provider.last_error_at == run.finished_at
    assert message in provider.last_error_message
    assert mirrored(provider) == before


def test_server_down_is_reported_and_the_mirror_is_kept(synced):
    fake, provider, before = synced
    fake.stop()

    run = registry_sync(provider=provider)

    assert_failed_and_kept(run, provider, before, message="No se pudo conectar")


def test_server_slower_than_the_timeout_is_reported(synced, settings):
    fake, provider, before = synced
    settings.REGISTROS_DATA_TIMEOUT = 0.2
    fake.faults.slow_seconds = 0.5

    run = registry_sync(provider=provider)

    assert_failed_and_kept(run, provider, before, message="Tiempo de espera agotado")


def test_500s_are_retried_with_backoff_until_success(synced):
    fake, provider, before = synced
    fake.faults.errors_before_success = 2  # REGISTROS_MAX_RETRIES is 2 in the tests
    fake.data_requests.clear()

    run = registry_sync(provider=provider)

    assert run.status == SyncRun.Status.OK
    assert [r["position"] for r in fake.data_requests[:3]] == [1, 1, 1]
    assert mirrored(provider) == before


def test_backoff_grows_exponentially_and_is_bounded(synced, settings):
    fake, provider, _before = synced
    settings.REGISTROS_MAX_RETRIES = 4
    settings.REGISTROS_BACKOFF_SECONDS = 1.0
    settings.REGISTROS_BACKOFF_MAX_SECONDS = 3.0
    fake.faults.errors_before_success = 4
    pauses = []

    run = registry_sync(provider=provider, sleep=pauses.append)

    assert run.status == SyncRun.Status.OK
    assert pauses == [1.0, 2.0, 3.0, 3.0]


def test_malformed_json_is_a_protocol_error_and_the_mirror_is_kept(synced):
    fake, provider, before = synced
    fake.faults.malformed = True

    run = registry_sync(provider=provider)

    assert_failed_and_kept(run, provider, before, message="no es JSON válido")


def test_a_token_expiring_mid_sync_is_renewed_once(make_fake, make_provider):
    fake = make_fake("s2", "v1")
    fake.faults.token_uses = 2  # each token serves two pages; the sync needs five
    provider = make_provider(fake)

    run = registry_sync(provider=provider)

    assert run.status == SyncRun.Status.OK
    assert run.pages == 5
    assert len(fake.token_requests) == 3


def test_a_failure_mid_sync_resumes_from_the_checkpoint(synced):
    fake, provider, before = synced
    fake.faults.fail_at_position = 3
    fake.data_requests.clear()

    failed = registry_sync(provider=provider)

    assert_failed_and_kept(failed, provider, before, message="error 500")
    assert failed.checkpoint == {"collections": ["spic"], "collection_index": 0, "position": 3}
    assert failed.pages == 2
    fake.faults.fail_at_position = None
    fake.data_requests.clear()

    resumed = registry_sync(provider=provider)

    assert resumed.status == SyncRun.Status.OK
    assert resumed.resumed_from == failed
    assert resumed.generation == failed.generation
    assert [r["position"] for r in fake.data_requests] == [3, 4, 5]
    assert mirrored(provider) == before


def test_restart_ignores_the_checkpoint(synced):
    fake, provider, _before = synced
    fake.faults.fail_at_position = 2
    registry_sync(provider=provider)
    fake.faults.fail_at_position = None
    fake.data_requests.clear()

    run = registry_sync(provider=provider, restart=True)

    assert run.resumed_from is None
    assert fake.data_requests[0]["position"] == 1


def test_an_endless_has_next_page_stops_at_the_bound(synced, settings):
    fake, provider, before = synced
    settings.REGISTROS_MAX_PAGES = 4
    fake.faults.endless = True

    run = registry_sync(provider=provider)

    provider.refresh_from_db()
    assert run.status == SyncRun.Status.PARTIAL
    assert run.pages == 4
    assert "máximo de 4 páginas" in run.error_message
    assert provider.last_error_at == run.finished_at
    assert mirrored(provider) == before  # rows past page one were not seen, yet none deleted


def test_an_endless_directus_collection_stops_at_the_bound(make_fake, make_provider, settings):
    settings.REGISTROS_MAX_PAGES = 3
    fake = make_fake("s3", "v2")
    fake.faults.endless = True

    run = registry_sync(provider=make_provider(fake))

    assert run.status == SyncRun.Status.PARTIAL
    assert run.pages == 3
    assert S3Sanction.objects.count() == 5  # the same first page, upserted three times


def test_the_command_prints_a_summary_per_provider(make_fake, make_provider, capsys):
    provider = make_provider(make_fake("s3", "v1"))

    call_command("sincronizar_registros", "--sistema", "s3", "--sin-progreso")

    out = capsys.readouterr().out
    assert provider.name in out
    assert "completa" in out
    assert "46" in out


def test_the_command_fails_when_a_provider_fails(synced, capsys):
    fake, provider, _before = synced
    fake.stop()

    with pytest.raises(CommandError, match="1 de 1"):
        call_command("sincronizar_registros", "--proveedor", provider.name, "--sin-progreso")

    assert "No se pudo conectar" in capsys.readouterr().out


def test_a_killed_sync_is_resumed_by_the_next_run(make_fake, make_provider):
    fake = make_fake("s2", "v1")
    provider = make_provider(fake)

    def die_after_two_pages(run, collection, page):
        if run.pages == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        registry_sync(provider=provider, on_page=die_after_two_pages)
    fake.data_requests.clear()

    run = registry_sync(provider=provider)

    interrupted = run.resumed_from
    assert interrupted.status == SyncRun.Status.ERROR
    assert "Interrumpida" in interrupted.error_message
    assert run.status == SyncRun.Status.OK
    assert [r["position"] for r in fake.data_requests] == [3, 4, 5]
    assert S2PublicServant.objects.filter(provider=provider).count() == 23


def test_a_checkpoint_of_other_collections_is_not_resumed(make_fake, make_provider):
    fake = make_fake("s3", "v2")
    provider = make_provider(fake)
    fake.faults.fail_at_position = 5
    assert registry_sync(provider=provider).status == SyncRun.Status.ERROR
    fake.faults.fail_at_position = None
    provider.collections = "faltas_graves_personas_morales"
    provider.save()
    fake.data_requests.clear()

    run = registry_sync(provider=provider)

    assert run.status == SyncRun.Status.OK
    assert run.resumed_from is None
    assert fake.data_requests[0]["collection"] == "faltas_graves_personas_morales"
    assert fake.data_requests[0]["position"] == 0
    assert set(S3Sanction.objects.values_list("collection", flat=True)) == {
        "faltas_graves_personas_morales"
    }


def test_a_misconfigured_provider_is_reported_as_a_failed_run(make_fake, make_provider):
    provider = make_provider(make_fake("s2", "v2"))
    provider.token = ""
    provider.save()

    run = registry_sync(provider=provider)

    provider.refresh_from_db()
    assert run.status == SyncRun.Status.ERROR
    assert "token fijo" in provider.last_error_message
