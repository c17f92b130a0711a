"""Two requests creating the same stage form at once: the second gets a Spanish form error."""

import threading

import pytest
from django.db import connection, connections
from django.db.models.signals import pre_save

from tests.workflows.admin_post import CREATE_URL, definition_post
from tests.workflows.factories import make_editor, make_entity
from tests.workflows.forms.test_definition_checks import AWARD_OK
from workflows.models import FormDefinition

pytestmark = pytest.mark.django_db(transaction=True)


def post(client, entity, title):
    data = definition_post(
        title=title, stage="award", procedure_type="", entity=entity, fields=AWARD_OK, publish=False
    )
    return client.post(CREATE_URL, data)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises every write: no race to lose"
)
def test_the_second_of_two_racing_creates_comes_back_with_the_reason(client):
    entity = make_entity("IMSS")
    client.force_login(make_editor(entity))

    def first_request_commits_meanwhile(sender, instance, **kwargs):
        # What a double click does: the other request passed the same validation and inserts
        # its row between this request's validation and its own insert.
        if instance.pk is not None or instance.title != "Segundo envío":
            return
        thread = threading.Thread(target=other_request_creates)
        thread.start()
        thread.join()

    def other_request_creates():
        try:
            FormDefinition.objects.create(
                title="Primer envío", stage="award", procedure_type="", entity=entity
            )
        finally:
            connections.close_all()

    pre_save.connect(first_request_commits_meanwhile, sender=FormDefinition)
    try:
        response = post(client, entity, "Segundo envío")
    finally:
        pre_save.disconnect(first_request_commits_meanwhile, sender=FormDefinition)

    html = response.content.decode()
    assert response.status_code == 200
    assert "ya existe un formulario para esta etapa, procedimiento y ente" in html
    assert 'value="Segundo envío"' in html  # what the editor wrote is still in the form
    assert list(FormDefinition.objects.filter(entity=entity).values_list("title", flat=True)) == [
        "Primer envío"
    ]


def test_a_second_create_after_the_first_is_refused_by_validation(client):
    entity = make_entity("IMSS")
    client.force_login(make_editor(entity))

    assert post(client, entity, "Primer envío").status_code == 302
    response = post(client, entity, "Segundo envío")

    assert response.status_code == 200
    assert FormDefinition.objects.filter(entity=entity).count() == 1
