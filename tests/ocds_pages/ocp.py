"""OCP's own validator (lib-cove-ocds) and extension tools (ocdsextensionregistry), run offline.

The OCDS 1.1.5 standard they read is a ZIP built here from the schema the project bundles (and
the one schema lib-cove dereferences by URL, the versioned release schema of record packages, is
read from the same folder), and every extension URL of our packages is answered by this site
itself (Django's test client behind a requests transport adapter): what a consumer resolves is
exactly what the project serves.
"""

import io
import tempfile
import zipfile
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlsplit

import jsonref
import requests
from django.conf import settings
from django.test import Client
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from ocdsextensionregistry import util as registry_util

from ocds_pages.schema import CORE_DIR


@cache
def standard_zip() -> bytes:
    """The standard's repository ZIP as ocdsextensionregistry reads it (``<root>/schema/…``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard-1__1__5/", "")
        for path in sorted(CORE_DIR.rglob("*")):
            if path.is_file():
                name = path.relative_to(CORE_DIR).as_posix()
                archive.writestr(f"standard-1__1__5/schema/{name}", path.read_bytes())
    return buffer.getvalue()


class SiteAdapter(requests.adapters.BaseAdapter):
    """Answers requests to SITE_URL with this site's views; anything else fails (no network)."""

    def __init__(self):
        super().__init__()
        self.client = Client()
        self.requested: list[str] = []

    def send(self, request, **kwargs):
        self.requested.append(request.url)
        parts = urlsplit(request.url)
        answer = self.client.get(parts.path, QUERY_STRING=parts.query)
        response = requests.Response()
        response.status_code = answer.status_code
        response.url = request.url
        response.request = request
        response.headers.update(dict(answer.headers))
        response._content = b"".join(answer) if answer.streaming else answer.content
        response.reason = answer.reason_phrase
        return response

    def close(self):
        pass


@contextmanager
def served_by_this_site():
    """While active, OCP's tools fetch SITE_URL from this site (the mount is undone after)."""
    session = registry_util.session
    adapter = SiteAdapter()
    previous = dict(session.adapters)
    session.mount(settings.SITE_URL + "/", adapter)
    try:
        with session.cache_disabled():  # each test sees what the site serves now
            yield adapter
    finally:
        session.adapters.clear()
        session.adapters.update(previous)


STANDARD_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"


class BundledStandard:
    """Stands in for ``requests`` inside jsonref: the standard's schema URLs are read from the
    bundled copy; any other URL fails, as there is no network."""

    @staticmethod
    def get(url, **kwargs):
        if not url.startswith(STANDARD_SCHEMA_URL):
            raise requests.ConnectionError(f"sin red: {url}")
        response = requests.Response()
        response.status_code = 200
        response.url = url
        response._content = (CORE_DIR / url.removeprefix(STANDARD_SCHEMA_URL)).read_bytes()
        return response


@contextmanager
def standard_read_locally():
    previous = jsonref.requests
    jsonref.requests = BundledStandard
    try:
        yield
    finally:
        jsonref.requests = previous


def lib_cove_ocds(package: dict) -> dict:
    """lib-cove-ocds's report on ``package`` (its API context: validation_errors, extensions,
    additional_closed_codelist_values...), with the extensions resolved from this site."""
    config = LibCoveOCDSConfig({"standard_zip": standard_zip(), "context": "api"})
    # It writes the extended schema to output_dir: a temporary one, not the working directory.
    with (
        served_by_this_site(),
        standard_read_locally(),
        tempfile.TemporaryDirectory() as output_dir,
    ):
        return ocds_json_output(output_dir, json_data=package, lib_cove_ocds_config=config)
