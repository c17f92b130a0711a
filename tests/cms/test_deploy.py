"""The production settings module and the gunicorn configuration of deploy/ (issue 21)."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings_production",
    "SECRET_KEY": "k" * 60 + "-prueba-de-despliegue-no-es-secreta",
    "ALLOWED_HOSTS": "compras.ejemplo.gob.mx",
    "OCID_PREFIX": "ocds-abc123",
    # What a careless .env could say; the production module overrides it.
    "DEBUG": "1",
    "DEVTOOLS": "1",
}


def run(args, **env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check either.
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {key: value for key, value in os.environ.items() if key not in dropped}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**base, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_production_settings_never_load_devtools_nor_debug():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.PRODUCTION, 'devtools' in s.INSTALLED_APPS, "
        "s.SESSION_COOKIE_SECURE, 'django_celery_beat' in s.INSTALLED_APPS]))"
    )

    result = run(["-c", script])

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, True, False, True, True]


def test_production_settings_pass_the_deploy_check():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["-c", "import django; django.setup()"], SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY es obligatoria con DJANGO_ENV=production" in result.stderr


def test_the_gunicorn_configuration_is_valid():
    result = run(
        ["-m", "gunicorn", "--check-config", "--config", "deploy/gunicorn.conf.py", "cms.wsgi"],
        GUNICORN_WORKERS="3",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_production_install_has_what_the_redis_broker_imports():
    """The production dependencies alone (no dev extra) include kombu's Redis transport's imports.

    A clean install once lacked ``packaging`` (kombu declares it only in its ``redis`` extra), and
    the worker, the scheduler and /salud/'s queue check all failed; the dev venv hid it.
    """
    import tomllib
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())["project"]
    pending = [Requirement(line) for line in project["dependencies"]]
    installed = set()
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in installed:
            continue
        installed.add(name)
        try:
            lines = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in lines:
            needed = Requirement(line)
            if needed.marker is None or needed.marker.evaluate({"extra": ""}):
                pending.append(needed)

    assert {"celery", "kombu", "redis", "packaging"} <= installed


def test_every_installed_pin_runs_on_debian_12s_python():
    """Each pinned package installed at its pinned version admits Python 3.11.2 (Debian 12).

    A clean install on Debian 12 once failed in ``pip install -c constraints.txt``: soupsieve 4.1.3
    requires Python ≥ 3.11.5 and the development machines had a newer 3.11. A pin whose metadata
    refuses 3.11.2 makes the documented installation impossible on the documented system.
    """
    from importlib.metadata import distributions

    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (settings.BASE_DIR / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if version:
            pins[canonicalize_name(name)] = version.strip()
    refused = []
    for dist in distributions():
        name = canonicalize_name(dist.metadata["Name"])
        needs = dist.metadata.get("Requires-Python")
        if pins.get(name) == dist.version and needs and "3.11.2" not in SpecifierSet(needs):
            refused.append(f"{name}=={dist.version} (Requires-Python {needs})")

    assert refused == []


def nginx_locations() -> dict[str, str]:
    """Each ``location`` of deploy/nginx/compra.conf and the body between its braces."""
    import re

    text = (settings.BASE_DIR / "deploy" / "nginx" / "compra.conf").read_text()
    text = re.sub(r"#.*", "", text)
    return dict(re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", text))


def test_nginx_serves_from_disk_only_the_public_media():
    """Deny by default: under /media/ only the content pages' images are files nginx reads itself.

    The install walk found the citizen reports' photos (never public; the first of each month is
    always ``foto.jpg``) and Wagtail's documents served straight from disk by a ``/media/`` alias.
    """
    locations = nginx_locations()
    from_disk = {path for path, body in locations.items() if "alias" in body}

    assert from_disk == {
        "/static/",
        "/media/images/",
        "/media/original_images/",
        "/media-protegido/",
    }
    assert "proxy_pass" in locations["/media/"]
    assert "internal;" in locations["/media-protegido/"]
    assert settings.PROTECTED_MEDIA_INTERNAL_URL == "/media-protegido/"
