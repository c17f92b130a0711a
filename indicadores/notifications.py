"""Notices of the alert system: a row for the in-app list and the same text by e-mail.

E-mail goes through Django's e-mail backend (``EMAIL_BACKEND`` in cms/settings.py) once the
transaction commits, so a rolled-back action never mails anyone.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cms.links import absolute_url
from cms.models import Membership
from cms.roles import Role
from indicadores.models import Notification

logger = logging.getLogger(__name__)


def members(entity_id, role, unit_id=None):
    """Active people holding ``role`` in the entity (for a unit: its own and entity-wide ones)."""
    return members_by_entity({entity_id}, role, unit_id).get(entity_id, [])


def members_by_entity(entity_ids, role, unit_id=None) -> dict[int, list]:
    """``members`` of many entities in one query: entity id → its people, by primary key, each
    once however many of their memberships match."""
    memberships = Membership.objects.filter(
        entity_id__in=entity_ids, role=role, user__is_active=True
    )
    if unit_id is not None:
        memberships = memberships.filter(Q(unit_id=unit_id) | Q(unit__isnull=True))
    people: dict[int, dict[int, object]] = defaultdict(dict)
    for membership in memberships.select_related("user").order_by("user_id"):
        people[membership.entity_id][membership.user_id] = membership.user
    return {entity_id: list(users.values()) for entity_id, users in people.items()}


def oic_of(entity_id):
    return members(entity_id, Role.OIC)


def approvers_of(entity_id, unit_id):
    return members(entity_id, Role.APROBADOR, unit_id)


def notify(recipients, message: str, *, url: str = "", alert=None, exclude=None) -> list:
    """Create one notice per recipient (not ``exclude``, who caused it) and e-mail it."""
    recipients = [person for person in recipients if exclude is None or person.pk != exclude.pk]
    return _deliver([(recipients, message, url, alert)])


def notify_oics(notices: list[tuple[int, str, str, object]]) -> None:
    """Many notices, each to the OIC of its entity: (entity id, message, url, alert or None).
    One query for everyone's recipients, one INSERT and one mail connection, instead of those
    three per entity (a first ``calcular_indicadores`` notifies every entity at once: 1,500
    entities took ≈ 9 s one by one; docs/benchmarks.md, «Motor de indicadores»)."""
    recipients = members_by_entity({entity_id for entity_id, *_rest in notices}, Role.OIC)
    _deliver([(recipients.get(entity_id, []), *notice) for entity_id, *notice in notices])


def _deliver(notices: list[tuple[list, str, str, object]]) -> list[Notification]:
    """(people, message, url, alert or None) → one in-app notice per person, written in one
    INSERT, and the e-mails sent once the transaction commits."""
    rows, mails = [], []
    for people, message, url, alert in notices:
        rows += [
            Notification(recipient=person, alert=alert, message=message[:500], url=url)
            for person in people
        ]
        addresses = [person.email for person in people if person.email]
        if addresses:
            mails.append((addresses, message, url))
    created = Notification.objects.bulk_create(rows)
    if mails:
        transaction.on_commit(lambda: _send_all(mails))
    return created


def _send_all(mails: list[tuple[list[str], str, str]]) -> None:
    """E-mail each (addresses, message, url) through one connection of the backend. A notice
    that fails (a refused address, a server that drops the session) is logged and the rest are
    still sent."""
    connection = get_connection()
    try:
        connection.open()
    except OSError:
        logger.exception("No se pudo conectar al servidor de correo para %d avisos", len(mails))
        return
    try:
        for addresses, message, url in mails:
            try:
                connection.send_messages(_messages(addresses, message, url, connection))
            except OSError:
                # The action already committed and the in-app notice exists; a mail server that
                # is down must not turn it into an error page.
                logger.exception(
                    "No se pudo enviar el aviso por correo a %d personas", len(addresses)
                )
    finally:
        connection.close()


def _messages(addresses, message, url, connection) -> list[EmailMessage]:
    link = absolute_url(url) if url else ""
    body = "\n\n".join(part for part in (message, link) if part)
    subject = _("Compra Íntegra: %(message)s") % {"message": message[:120]}
    return [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
        for address in addresses
    ]
