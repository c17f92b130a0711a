"""Tunables of the registry sync, read from Django settings with environment-variable defaults.

They live here rather than in cms/settings.py so the app carries its own defaults; a project can
still override any of them in its settings module (the tests do, to keep timeouts tiny).
"""

import os
from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    # The PDN's own client waits 2 s for a token and 4 s for data (PDNMX/s2_backend); a bulk
    # mirror asks for 200 rows at a time, so it allows more for data.
    "REGISTROS_TOKEN_TIMEOUT": float(os.environ.get("REGISTROS_TOKEN_TIMEOUT", "5")),
    "REGISTROS_DATA_TIMEOUT": float(os.environ.get("REGISTROS_DATA_TIMEOUT", "30")),
    "REGISTROS_MAX_RETRIES": int(os.environ.get("REGISTROS_MAX_RETRIES", "4")),
    "REGISTROS_BACKOFF_SECONDS": float(os.environ.get("REGISTROS_BACKOFF_SECONDS", "2")),
    "REGISTROS_BACKOFF_MAX_SECONDS": float(os.environ.get("REGISTROS_BACKOFF_MAX_SECONDS", "60")),
    "REGISTROS_MAX_PAGES": int(os.environ.get("REGISTROS_MAX_PAGES", "5000")),
    "REGISTROS_PAGE_SIZE": int(os.environ.get("REGISTROS_PAGE_SIZE", "200")),
}


@dataclass(frozen=True)
class SyncSettings:
    """A snapshot of the tunables, taken when a client or a sync starts."""

    token_timeout: float
    data_timeout: float
    max_retries: int
    backoff_seconds: float
    backoff_max_seconds: float
    max_pages: int
    page_size: int


def sync_settings() -> SyncSettings:
    def value(name):
        return getattr(settings, name, DEFAULTS[name])

    return SyncSettings(
        token_timeout=value("REGISTROS_TOKEN_TIMEOUT"),
        data_timeout=value("REGISTROS_DATA_TIMEOUT"),
        max_retries=value("REGISTROS_MAX_RETRIES"),
        backoff_seconds=value("REGISTROS_BACKOFF_SECONDS"),
        backoff_max_seconds=value("REGISTROS_BACKOFF_MAX_SECONDS"),
        max_pages=value("REGISTROS_MAX_PAGES"),
        page_size=value("REGISTROS_PAGE_SIZE"),
    )
