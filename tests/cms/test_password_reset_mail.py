"""The password-reset e-mail: the one mail anyone can ask for (issue 21, e-mail in production).

Tried by hand against an SMTP server on a production-mode installation (docs/instalacion.md §18);
this test keeps it: a person who forgot their password gets one mail in Spanish from
DEFAULT_FROM_EMAIL whose link lets them choose a new password, and an unknown address gets the
same answer and no mail (nobody learns which addresses have an account).
"""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nueva-clave-de-prueba-2027"


@pytest.fixture
def person():
    return make_user("ana-oic", email="ana.oic@ente.gob.mx")


def ask_for_reset(address):
    return Client().post("/admin/password_reset/", {"email": address})


def test_the_reset_mail_is_in_spanish_and_comes_from_the_configured_sender(person, settings):
    settings.DEFAULT_FROM_EMAIL = "Compra Íntegra <no-responder@ejemplo.gob.mx>"

    response = ask_for_reset("ana.oic@ente.gob.mx")

    assert response.status_code == 302
    assert response.url == "/admin/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.oic@ente.gob.mx"]
    assert message.from_email == "Compra Íntegra <no-responder@ejemplo.gob.mx>"
    assert message.subject == "Restablecer contraseña"
    assert "contraseña" in message.body
    assert "ana-oic" in message.body  # the username, in case they forgot it too


def test_the_link_in_the_mail_sets_a_new_password(person):
    ask_for_reset("ana.oic@ente.gob.mx")
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/\S+/)", mail.outbox[0].body)
    client = Client()

    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(person):
    response = ask_for_reset("nadie@ente.gob.mx")

    assert response.status_code == 302
    assert response.url == "/admin/password_reset/done/"
    assert mail.outbox == []
