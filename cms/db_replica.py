"""Read replica for the public reads: the public site, the OCDS API and the S6 (issue 21).

With ``DATABASE_REPLICA_URL`` set, requests whose path starts with one of
``DATABASE_REPLICA_PATHS`` read from the ``replica`` alias (a streaming replica of PostgreSQL);
everything else — staff screens, the admin, jobs, commands, and every write — uses ``default``.
Public pages tolerate the replica's lag of a second or so; a person who just approved a stage is
in the staff screens, which read the primary, so they always see their own work.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


def is_public_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in settings.DATABASE_REPLICA_PATHS)


class PublicReadsMiddleware:
    """Marks the request as a public read (for the router) while it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(
            request.method in ("GET", "HEAD", "POST") and is_public_path(request.path)
        )
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)


class ReplicaRouter:
    """Reads of a public request go to the replica; all else stays on the primary."""

    def db_for_read(self, model, **hints):
        if _public_read.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # the replica follows the primary's schema by replication
