"""devtools is installed for development and the tests, never by a production configuration, and
no product module depends on it (it is the top layer: docs/arquitectura.md)."""

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ("cms", "ocds_pages", "workflows", "integraciones", "indicadores")
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "compras.ejemplo.gob.mx",
    "OCID_PREFIX": "ocds-abc123",
}
PROBE = (
    "from django.apps import apps; from django.core.management import get_commands;"
    "print(apps.is_installed('devtools'), 'cargar_demo' in get_commands())"
)


def installed(**variables) -> list[str]:
    """Whether devtools and its commands load with the project's settings and ``variables``."""
    inherited = {"DEVTOOLS", "DEBUG", "DJANGO_ENV", "DJANGO_SETTINGS_MODULE", *PRODUCTION}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env |= {"DJANGO_SETTINGS_MODULE": "cms.settings", **variables}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, ["True", "True"]),  # development: DEBUG is on
        ({"DEBUG": "false"}, ["False", "False"]),
        ({"DEBUG": "false", "DEVTOOLS": "1"}, ["True", "True"]),  # make bench
        (PRODUCTION, ["False", "False"]),
        ({**PRODUCTION, "DEVTOOLS": "1"}, ["True", "True"]),  # an explicit choice
    ],
)
def test_devtools_is_installed_with_debug_or_devtools_only(variables, expected):
    assert installed(**variables) == expected


def test_the_test_suite_runs_with_devtools():
    from django.apps import apps

    assert apps.is_installed("devtools")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_product_module_imports_devtools():
    offenders = [
        str(path.relative_to(ROOT))
        for app in PRODUCT_APPS
        for path in (ROOT / app).rglob("*.py")
        if any(name.split(".")[0] == "devtools" for name in imported_modules(path))
    ]
    assert offenders == []
