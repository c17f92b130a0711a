"""Loading an entity's people from a CSV (cms/people_import.py), a job its administrator starts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from cms import jobs
from cms.models import Job, Membership
from cms.roles import Role
from tests.cms.test_jobs_admin import wait_for_thread
from tests.factories import make_entity, make_member, make_unit, make_user

pytestmark = pytest.mark.django_db

CSV = """usuario,nombre,apellidos,correo,rol,unidad
ana.lopez,Ana,López,ana@ejemplo.gob.mx,capturista,UC0000001
beto.ruiz,Alberto,Ruiz,beto@ejemplo.gob.mx,aprobador,
existente,Ya,Existe,ya@ejemplo.gob.mx,oic,
carla,Carla,Díaz,no-es-correo,oic,
dario,Darío,Gil,dario@ejemplo.gob.mx,jefe,
eva,Eva,Sol,eva@ejemplo.gob.mx,capturista,
fer,Fer,Paz,fer@ejemplo.gob.mx,capturista,UC9999999
"""


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""
    settings.JOBS_FILES_DIR = tmp_path / "trabajos"


@pytest.mark.django_db(transaction=True)
def test_an_entity_admin_loads_people_and_gets_each_bad_row_with_its_reason(client):
    entity, other = make_entity("MIO"), make_entity("OTRO")
    make_unit(entity, key="UC0000001")
    make_unit(other, key="UC9999999")
    make_user("existente")
    admin = make_member(Role.ADMIN_ENTE, entity)
    client.force_login(admin)
    upload = SimpleUploadedFile("personas.csv", CSV.encode(), content_type="text/csv")

    response = client.post(
        "/admin/trabajos/nuevo/importar_personas/", {"entity": entity.pk, "files": upload}
    )

    assert response.status_code == 302
    job = wait_for_thread(Job.objects.get().pk)
    assert job.summary == "Personas dadas de alta: 2 de 7."
    assert job.error_message.splitlines() == [
        "Renglón 4: el usuario «existente» ya existe.",
        "Renglón 5: el correo «no-es-correo» no es válido.",
        "Renglón 6: el rol «jefe» no existe; use capturista, aprobador, oic, admin_ente, editor.",
        "Renglón 7: un capturista necesita su unidad.",
        "Renglón 8: la unidad «UC9999999» no es de este ente.",
    ]
    ana = get_user_model().objects.get(username="ana.lopez")
    assert not ana.has_usable_password()  # each person sets theirs («¿Olvidó su contraseña?»)
    assert Membership.objects.get(user=ana).unit.key == "UC0000001"
    beto = Membership.objects.get(user__username="beto.ruiz")
    assert (beto.entity, beto.role, beto.unit) == (entity, Role.APROBADOR, None)
    assert not Membership.objects.filter(entity=other).exists()


def test_a_file_without_the_headers_is_refused_whole(tmp_path):
    path = tmp_path / "mal.csv"
    path.write_text("nombre;correo\nAna;ana@ejemplo.gob.mx\n", encoding="utf-8")
    job = jobs.create_job("importar_personas", {"files": str(path)}, entity=make_entity())

    job = jobs.execute(job.pk)

    assert job.status == Job.Status.FAILED
    assert job.error_message.startswith("El archivo debe tener los encabezados usuario, nombre")
    assert get_user_model().objects.count() == 0
