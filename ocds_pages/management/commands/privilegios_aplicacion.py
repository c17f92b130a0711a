"""``manage.py privilegios_aplicacion ROL``: the privileges of a database role that does not own
the tables, for the web processes and workers (docs/instalacion.md, «Rol de la aplicación»).

The owner of a table can disable its triggers, so the append-only guard of the releases
(migrations 0002 and 0011) only holds against the application if the application is not the
owner. Migrations run as the owner; the application connects as ROL, which may read and write
every table except that releases only accept INSERT (no UPDATE, DELETE or TRUNCATE) and which can
never alter a table. Run by the owner; prints the SQL, or runs it with ``--ejecutar``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

RELEASE_TABLE = "ocds_pages_release"


def grant_statements(role):
    """The SQL, run as the owner of the tables, that gives ``role`` what the application needs."""
    who = connection.ops.quote_name(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {who}",
        # Tables that later migrations create get the same privileges.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {RELEASE_TABLE} FROM {who}",
    ]


class Command(BaseCommand):
    help = _(
        "Muestra (o ejecuta con --ejecutar) el SQL que da a un rol de PostgreSQL que no es dueño "
        "de las tablas los privilegios que necesita la aplicación: leer y escribir todo, salvo "
        "que las entregas OCDS sólo admiten INSERT. Lo ejecuta el dueño de las tablas."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help=_("Rol de PostgreSQL con que se conecta la aplicación."))
        parser.add_argument(
            "--ejecutar",
            action="store_true",
            dest="execute",
            help=_("Ejecutar el SQL en la base de datos en vez de sólo mostrarlo."),
        )

    def handle(self, *args, role, execute=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError(_("Este comando es sólo para PostgreSQL."))
        statements = grant_statements(role)
        if not execute:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(
                    _("El rol «%(role)s» no existe; créelo primero (CREATE ROLE).") % {"role": role}
                )
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(_("Privilegios concedidos al rol «%(role)s».") % {"role": role})
