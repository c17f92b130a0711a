"""Notices of the alert system: a row for the in-app list and the same text by e-mail.

E-mail goes through Django's e-mail backend (``EMAIL_BACKEND`` in cms/settings.py) once the
transaction commits, so a rolled-back action never mails anyone.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cms.links import absolute_url
from cms.roles import Role
from indicadores.models import Notification

logger = logging.getLogger(__name__)


def members(entity_id, role, unit_id=None):
    """Active people holding ``role`` in the entity (for a unit: its own and entity-wide ones)."""
    # One filter() call, so every condition applies to the same membership.
    condition = Q(memberships__entity_id=entity_id, memberships__role=role)
    if unit_id is not None:
        condition &= Q(memberships__unit_id=unit_id) | Q(memberships__unit__isnull=True)
    people = get_user_model().objects.filter(condition, is_active=True).distinct()
    return list(people.order_by("pk"))


def oic_of(entity_id):
    return members(entity_id, Role.OIC)


def approvers_of(entity_id, unit_id):
    return members(entity_id, Role.APROBADOR, unit_id)


def notify(recipients, message: str, *, url: str = "", alert=None, exclude=None) -> list:
    """Create one notice per recipient (not ``exclude``, who caused it) and e-mail it."""
    recipients = [person for person in recipients if exclude is None or person.pk != exclude.pk]
    notices = Notification.objects.bulk_create(
        Notification(recipient=person, alert=alert, message=message[:500], url=url)
        for person in recipients
    )
    addresses = [person.email for person in recipients if person.email]
    if addresses:
        transaction.on_commit(lambda: _send(addresses, message, url))
    return notices


def _send(addresses, message, url):
    link = absolute_url(url) if url else ""
    body = "\n\n".join(part for part in (message, link) if part)
    subject = _("Compra Íntegra: %(message)s") % {"message": message[:120]}
    try:
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
        )
    except OSError:
        # The action already committed and the in-app notice exists; a mail server that is down
        # must not turn it into an error page.
        logger.exception("No se pudo enviar el aviso por correo a %d personas", len(addresses))
