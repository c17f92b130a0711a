"""Harvesting the PDN's S6 (open contracting) as reference data, against the fake S6 of
devtools/fake_pdn.py on 127.0.0.1: OAuth password grant, pages of 200, resume after a failure,
progress, the job and its secrets, and nothing of it published as this installation's."""

import pytest
from django.core.management import CommandError, call_command

from cms.jobs import execute
from cms.models import Job
from devtools.fake_pdn import (
    FAKE_CLIENT_ID,
    FAKE_CLIENT_SECRET,
    FAKE_PASSWORD,
    FAKE_USERNAME,
    FakeRegistryServer,
)
from indicadores.market import selectors
from indicadores.market.models import PriceObservation, ReferenceDataset, ReferenceRecord
from indicadores.market.reference import HarvestError, harvest_s6
from ocds_pages.models import Record, Release
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIZE = 450  # three pages of 200 (200, 200, 50)


@pytest.fixture
def fake_s6():
    with FakeRegistryServer(system="s6", version="v1", size=SIZE) as fake:
        yield fake


def dataset_for(fake, **fields) -> ReferenceDataset:
    return ReferenceDataset.objects.create(
        name="S6 de la PDN (prueba)",
        kind=ReferenceDataset.Kind.S6,
        url=fake.url + "/contrataciones-abiertas",
        token_url=fake.token_url,
        username=FAKE_USERNAME,
        password=FAKE_PASSWORD,
        client_id=FAKE_CLIENT_ID,
        client_secret=FAKE_CLIENT_SECRET,
        **fields,
    )


def test_the_fake_s6_validates_requests_against_the_specification(fake_s6):
    import requests

    token = requests.post(
        fake_s6.token_url,
        data={"grant_type": "password", "username": FAKE_USERNAME, "password": FAKE_PASSWORD},
        auth=(FAKE_CLIENT_ID, FAKE_CLIENT_SECRET),
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    url = fake_s6.url + "/contrataciones-abiertas"
    bad = requests.post(url, json={"page": "uno"}, headers=headers, timeout=10)
    assert bad.status_code == 400
    body = requests.post(url, json={"page": 3, "pageSize": 200}, headers=headers, timeout=10).json()
    assert body["pagination"] == {
        "pageSize": 200,
        "page": 3,
        "totalRows": SIZE,
        "hasNextPage": False,
    }
    assert len(body["results"]) == 50 and body["results"][0]["awards"][0]["items"]


def test_harvest_pages_with_progress_resumes_after_a_failure_and_keeps_apart(fake_s6):
    dataset = dataset_for(fake_s6)
    fake_s6.faults.fail_at_position = 3  # page 3 answers 500
    seen, totals = [], []

    with pytest.raises(HarvestError, match="página 3"):
        harvest_s6(dataset, progress=seen.append, total=totals.append)

    dataset.refresh_from_db()
    assert (seen, totals, dataset.cursor) == ([200, 200], [SIZE, SIZE], "3")
    assert dataset.records == 400
    fake_s6.faults.fail_at_position = None
    requests_before = len(fake_s6.data_requests)

    kept = harvest_s6(dataset, progress=seen.append)

    assert kept == 50
    assert [r["position"] for r in fake_s6.data_requests[requests_before:]] == [3]  # resumed
    dataset.refresh_from_db()
    assert (dataset.cursor, dataset.records) == ("", SIZE)  # finished: next run starts over
    assert ReferenceRecord.objects.count() == SIZE
    # Its prices enter the basket labelled with the source, and nothing is published as ours.
    rows = selectors.search(clasificacion="25300002")
    assert rows.exists() and set(rows.values_list("dataset__name", flat=True)) == {dataset.name}
    assert PriceObservation.objects.filter(dataset=dataset).count() == SIZE
    assert not Release.objects.exists() and not Record.objects.exists()


def test_an_expired_token_is_asked_again_and_bad_credentials_say_so(fake_s6):
    dataset = dataset_for(fake_s6)
    fake_s6.faults.token_uses = 1  # each token serves one page
    assert harvest_s6(dataset, max_pages=2) == 400
    assert len(fake_s6.token_requests) == 2
    dataset.password = "otra"  # noqa: S105 - a wrong test credential
    with pytest.raises(HarvestError, match="no dio un token"):
        harvest_s6(dataset)


def test_the_job_keeps_the_secrets_on_the_dataset_and_reports_progress(
    fake_s6, settings, client, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = ""
    settings.JOBS_PROGRESS_SECONDS = 0
    client.force_login(make_user(is_superuser=True, is_staff=True))
    with django_capture_on_commit_callbacks(execute=False):  # the test runs the job itself
        response = client.post(
            "/admin/trabajos/nuevo/cosechar_s6/",
            {
                "name": "S6 de la PDN",
                "url": fake_s6.url + "/contrataciones-abiertas",
                "token_url": fake_s6.token_url,
                "username": FAKE_USERNAME,
                "password": FAKE_PASSWORD,
                "client_id": FAKE_CLIENT_ID,
                "client_secret": FAKE_CLIENT_SECRET,
            },
        )
    job = Job.objects.get(kind="cosechar_s6")
    assert response.status_code == 302
    # While it waits in the queue the row holds no secret: the source already does.
    assert not set(job.parameters) & {"password", "client_secret"}
    waiting = ReferenceDataset.objects.get(name="S6 de la PDN")
    assert (waiting.password, waiting.client_secret) == (FAKE_PASSWORD, FAKE_CLIENT_SECRET)
    pending = client.get(f"/admin/trabajos/{job.pk}/").content.decode()
    assert FAKE_PASSWORD not in pending and FAKE_CLIENT_SECRET not in pending
    assert FAKE_USERNAME in pending

    job = execute(job.pk)

    assert job.status == Job.Status.DONE, job.error_message
    assert (job.progress_done, job.progress_total) == (SIZE, SIZE)
    assert job.summary == f"«S6 de la PDN» (S6): {SIZE} procesos guardados; {SIZE} en total."
    stored = Job.objects.get(pk=job.pk).parameters
    assert "password" not in stored and "client_secret" not in stored
    dataset = ReferenceDataset.objects.get(name="S6 de la PDN")
    assert (dataset.password, dataset.client_secret) == (FAKE_PASSWORD, FAKE_CLIENT_SECRET)
    # A scheduled run names only the source: the stored account is used, from page 1 again.
    again = Job.objects.create(kind="cosechar_s6", parameters={"name": "S6 de la PDN"})
    assert execute(again.pk).status == Job.Status.DONE


def test_the_command_harvests_the_s6_and_reports_failures(fake_s6, monkeypatch):
    monkeypatch.setenv("PDN_S6_PASSWORD", FAKE_PASSWORD)
    monkeypatch.setenv("PDN_S6_CLIENT_SECRET", FAKE_CLIENT_SECRET)
    arguments = [
        fake_s6.url + "/contrataciones-abiertas",
        "--s6",
        "--nombre",
        "S6 por consola",
        "--token-url",
        fake_s6.token_url,
        "--usuario",
        FAKE_USERNAME,
        "--client-id",
        FAKE_CLIENT_ID,
        "--sin-progreso",
        "--paginas",
        "1",
    ]
    call_command("cosechar_referencia", *arguments)
    assert ReferenceDataset.objects.get(name="S6 por consola").cursor == "2"
    fake_s6.stop()
    with pytest.raises(CommandError, match="no dio un token"):
        call_command("cosechar_referencia", *arguments)
