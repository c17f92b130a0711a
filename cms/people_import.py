"""Loading an entity's people from a CSV file, as a job (cms.jobs) its administrator starts.

Columns (first row, in any order): ``usuario``, ``nombre``, ``apellidos``, ``correo``, ``rol``
(capturista, aprobador, oic, admin_ente, editor) and ``unidad`` (the unit's key; required for
capturistas). Each row is saved whole or not at all; a bad row is reported with its line number
and why, and the others are still loaded. Accounts start without a password: each person sets
theirs with «¿Olvidó su contraseña?» on the login page, so no password travels in a spreadsheet.
"""

import csv
from pathlib import Path

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.jobs import ENTITY, JobError, JobKind, JobOutcome, register
from cms.models import Membership, PurchasingUnit
from cms.roles import Role

COLUMNS = ["usuario", "nombre", "apellidos", "correo", "rol", "unidad"]


class PeopleForm(forms.Form):
    files = forms.FileField(
        label=gettext_lazy("Archivo CSV"),
        help_text=gettext_lazy(
            "UTF-8, con encabezados usuario, nombre, apellidos, correo, rol y unidad."
        ),
    )


def _row_error(row: dict, units: dict) -> tuple[str | None, PurchasingUnit | None]:
    username = row["usuario"]
    if not username:
        return _("falta el usuario"), None
    if get_user_model().objects.filter(username=username).exists():
        return _("el usuario «%(user)s» ya existe") % {"user": username}, None
    try:
        validate_email(row["correo"])
    except ValidationError:
        return _("el correo «%(email)s» no es válido") % {"email": row["correo"]}, None
    if row["rol"] not in Role.values:
        return _("el rol «%(role)s» no existe; use %(roles)s") % {
            "role": row["rol"],
            "roles": ", ".join(Role.values),
        }, None
    unit = units.get(row["unidad"]) if row["unidad"] else None
    if row["unidad"] and unit is None:
        return _("la unidad «%(unit)s» no es de este ente") % {"unit": row["unidad"]}, None
    if row["rol"] == Role.CAPTURISTA and unit is None:
        return _("un capturista necesita su unidad"), None
    return None, unit


def run_people_import(job, progress) -> JobOutcome:
    if not job.entity_id:
        raise JobError(_("Indique el ente de las personas."))
    path = Path(job.parameters.get("files") or "")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise JobError(_("No se pudo leer el archivo: %(error)s") % {"error": exc}) from exc
    missing = [column for column in COLUMNS if rows and column not in rows[0]]
    if not rows or missing:
        raise JobError(
            _("El archivo debe tener los encabezados %(columns)s.")
            % {"columns": ", ".join(COLUMNS)}
        )
    units = {unit.key: unit for unit in PurchasingUnit.objects.filter(entity_id=job.entity_id)}
    progress.set_total(len(rows))
    created, errors = [], []
    for line, raw in enumerate(rows, start=2):  # line 1 holds the headers
        row = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        error, unit = _row_error(row, units)
        if error:
            errors.append(_("Renglón %(line)s: %(error)s.") % {"line": line, "error": error})
        else:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=row["usuario"],
                    email=row["correo"],
                    first_name=row["nombre"],
                    last_name=row["apellidos"],
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
                Membership.objects.create(
                    user=user, entity_id=job.entity_id, unit=unit, role=row["rol"]
                )
            created.append(row["usuario"])
        progress.advance()
    summary = _("Personas dadas de alta: %(created)s de %(total)s.") % {
        "created": len(created),
        "total": len(rows),
    }
    return JobOutcome(summary=summary, result={"created": created}, errors=errors)


register(
    JobKind(
        key="importar_personas",
        label=gettext_lazy("Cargar personas desde CSV"),
        description=gettext_lazy(
            "Da de alta a las personas de un ente con su rol y unidad; informa cada renglón con "
            "error."
        ),
        run=run_people_import,
        form_class=PeopleForm,
        scope=ENTITY,
    )
)
