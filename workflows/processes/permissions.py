"""Who may do what with a contracting process (roles come from cms.tenancy, never from groups).

Four eyes: whoever sent a capture to review can never review it, whatever roles they hold (the
national administrator included). The check is here, in the review node's permission, and is
made again inside the approval transaction (process_services.review_approve).
"""

from cms.roles import Role
from cms.tenancy import has_role, is_national_admin, unit_ids_for


def may_capture(user, process) -> bool:
    """Capturistas of the process's unit (or entity-wide capturistas of its entity)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return has_role(user, Role.CAPTURISTA, entity_id=process.entity_id, unit_id=process.unit_id)


def may_review(user, stage_process) -> bool:
    """Aprobadores of the unit or of the whole entity, except the person who submitted it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if stage_process.submitted_by_id is not None and stage_process.submitted_by_id == user.pk:
        return False
    process = stage_process.contracting_process
    return has_role(user, Role.APROBADOR, entity_id=process.entity_id, unit_id=process.unit_id)


def capture_units(user, entity_units):
    """The units (of ``entity_units``) where ``user`` may start a process."""
    if is_national_admin(user):
        return entity_units
    allowed = unit_ids_for(user, [Role.CAPTURISTA])
    return [unit for unit in entity_units if may_capture_in(user, unit, allowed)]


def may_capture_in(user, unit, allowed=None) -> bool:
    if allowed is not None and unit.pk in allowed:
        return True
    return has_role(user, Role.CAPTURISTA, entity_id=unit.entity_id, unit_id=unit.pk)
