"""The public side: progress on the process page, the entity's portfolio, citizen reports and
their moderation (rate limit, photo without metadata, who sees them)."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from cms.roles import Role
from indicadores.models import CitizenReport, MonitoredContract
from tests.factories import make_entity, make_member
from tests.indicadores.monitoring.contracts import (
    day,
    guarantee,
    milestone,
    payment,
    persona_fisica,
    publish_contract,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def imss():
    return make_entity(key="IMSS")


@pytest.fixture
def late(imss, django_capture_on_commit_callbacks):
    """An IMSS contract of a natural person, 20 days late, 30 % paid, guarantee expired."""
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        ocid = publish_contract(
            imss,
            1,
            {
                "milestones": [milestone(1, day(-20, today)), milestone(2, day(40, today))],
                "transactions": [payment(1, day(-30, today), 300_000)],
            },
            supplier=persona_fisica(),
            contract_extra={"guarantees": [guarantee(day(-3, today), start=day(-150, today))]},
        )
    return MonitoredContract.objects.get(ocid=ocid)


def test_the_process_page_shows_the_contracts_progress(client, late):
    html = client.get(f"/procesos/{late.ocid}/").content.decode()
    assert 'data-testid="seguimiento-publico"' in html
    assert "Seguimiento del contrato" in html and "Entrega 1" in html
    assert "20 días de atraso" in html and "Afianzadora Nacional, S.A." in html
    section = html.split('data-testid="seguimiento-publico"')[1].split("</section>")[0]
    assert "PELJ800101AB1" not in section  # the section adds no personal data
    assert f"/seguimiento/{late.ocid}/reportar/" in html


def test_the_entity_page_shows_its_portfolio(client, late):
    html = client.get("/entes/IMSS/").content.decode()
    assert 'data-testid="seguimiento-ente"' in html
    assert "1 contratos en seguimiento" in html


def test_the_portfolio_follows_a_set_run(client, late, django_capture_on_commit_callbacks):
    MonitoredContract.objects.all().delete()  # as if published before monitoring existed
    cache.clear()
    assert "seguimiento-ente" not in client.get("/entes/IMSS/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        call_command("calcular_indicadores", "--sin-progreso", "--sin-alertas", stdout=None)
    # The run stored the rows again and renewed the panels' generation: no stale hour.
    assert "1 contratos en seguimiento" in client.get("/entes/IMSS/").content.decode()


def test_a_process_without_contracts_has_no_section(client, imss):
    from tests.publishing import publish_process

    ocid = publish_process(imss)
    assert "seguimiento-publico" not in client.get(f"/procesos/{ocid}/").content.decode()


def jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (19.0, 26.0, 0.0)}  # GPSInfo: a latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def report(client, late, **extra):
    data = {
        "contrato": late.contract_id,
        "kind": "no_entregado",
        "description": "La clínica no ha recibido los medicamentos de la primera entrega.",
        "place": "UMF 12",
        **extra,
    }
    return client.post(f"/seguimiento/{late.ocid}/reportar/", data)


def test_a_citizen_report_with_a_photo_without_metadata(client, late, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = report(client, late, photo=jpeg_with_gps(), contact="vecina@example.org")
    assert response.status_code == 302 and response["Location"].endswith("?enviado=1")
    saved = CitizenReport.objects.get()
    assert (saved.ocid, saved.entity, saved.status) == (late.ocid, late.entity, "pendiente")
    with Image.open(saved.photo.path) as photo:
        assert not photo.getexif()  # the GPS position is gone
    thanks = client.get(response["Location"]).content.decode()
    assert "Gracias. Su reporte llegó al ente" in thanks


def test_a_photo_that_is_not_an_image_is_refused(client, late):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 no soy foto", content_type="image/jpeg")
    response = report(client, late, photo=fake)
    assert response.status_code == 200 and not CitizenReport.objects.exists()
    assert "JPEG o PNG" in response.content.decode() or "no coincide" in response.content.decode()


@override_settings(SEGUIMIENTO_REPORTES_POR_HORA=2)
def test_reports_are_rate_limited_per_address(client, late):
    assert report(client, late).status_code == 302
    assert report(client, late).status_code == 302
    refused = report(client, late)
    assert refused.status_code == 200
    assert "inténtelo en una hora" in refused.content.decode()
    assert CitizenReport.objects.count() == 2


def test_moderation_and_who_sees_the_reports(client, late, imss, django_user_model):
    report(client, late)
    saved = CitizenReport.objects.get()
    detail = f"/tramite/seguimiento/contratos/{late.pk}/"
    capturista = make_member(Role.CAPTURISTA, imss)
    MonitoredContract.objects.filter(pk=late.pk).update(unit=capturista.memberships.get().unit)
    client.force_login(capturista)
    assert client.get("/tramite/seguimiento/reportes/").status_code == 403
    assert "La clínica no ha recibido" not in client.get(detail).content.decode()  # pending
    oic = make_member(Role.OIC, imss)
    client.force_login(oic)
    assert (
        "La clínica no ha recibido" in client.get("/tramite/seguimiento/reportes/").content.decode()
    )
    moderate = f"/tramite/seguimiento/reportes/{saved.pk}/moderar/"
    client.post(moderate, {"decision": "rechazar"})  # a rejection needs its reason
    saved.refresh_from_db()
    assert saved.status == "pendiente"
    client.post(moderate, {"decision": "aceptar", "nota": "Verificado con la UMF 12."})
    saved.refresh_from_db()
    assert (saved.status, saved.moderated_by) == ("aceptado", oic)
    assert "La clínica no ha recibido" in client.get(detail).content.decode()  # beside the contract
    other = make_member(Role.OIC, make_entity(key="SEP"))
    client.force_login(other)
    assert client.post(moderate, {"decision": "aceptar"}).status_code == 404
    client.force_login(capturista)
    assert "La clínica no ha recibido" in client.get(detail).content.decode()  # accepted: shown


def test_a_report_for_an_unknown_process_is_404(client, imss):
    assert client.get("/seguimiento/ocds-no-existe/reportar/").status_code == 404
