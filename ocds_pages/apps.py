from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcdsPagesConfig(AppConfig):
    """The published side: OCDS releases and records, validation, packages, public pages, API."""

    name = "ocds_pages"
    verbose_name = _("Datos publicados (OCDS)")

    def ready(self):
        # search registers ci_fold and the Spanish collation on every SQLite connection; public
        # connects the public pages' cache invalidation to release_published in every process
        # that can publish (web workers, commands, job workers), not only those that load URLs.
        # Its long jobs (export, import, recompile) register with cms.jobs.
        from ocds_pages import (  # noqa: F401
            jobs,  # noqa: F401
            public,
            search,
        )
