"""Fixtures shared by the whole test suite."""

import ipaddress
import socket

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real accounts; in tests it only slows the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class OutboundNetworkBlocked(OSError):
    """A test tried to reach a machine other than this one."""


def _is_loopback(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like never leave the machine
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name that is not localhost would need DNS and the network


@pytest.fixture(autouse=True, scope="session")
def block_outbound_network():
    """Tests run offline: any connection to a non-loopback address raises.

    The system must never download a schema or an extension at run time (issue 4); this guard makes
    such a regression fail loudly instead of passing on a machine that happens to be online.
    """
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def guarded(method):
        def connect(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
                raise OutboundNetworkBlocked(f"Conexión de red bloqueada en pruebas: {address!r}")
            return method(self, address)

        return connect

    socket.socket.connect = guarded(original_connect)
    socket.socket.connect_ex = guarded(original_connect_ex)
    yield
    socket.socket.connect = original_connect
    socket.socket.connect_ex = original_connect_ex


def _flush_lifts_the_release_guards():
    """Let a transactional test's flush empty the releases, as only the tables' owner could.

    The database refuses to delete or truncate releases (ocds_pages migrations 0002 and 0011), and
    Django's flush between transactional tests does exactly that. The test database is owned by
    the test run, so its flush lifts the guard for that one statement batch, as an owner would.
    """
    import importlib

    from django.db import connection

    guards = importlib.import_module("ocds_pages.migrations.0011_release_truncate_guard")
    around = {
        "postgresql": (
            [
                "ALTER TABLE ocds_pages_release DISABLE TRIGGER ocds_pages_release_no_truncate;",
            ],
            [
                "ALTER TABLE ocds_pages_release ENABLE TRIGGER ocds_pages_release_no_truncate;",
            ],
        ),
        "sqlite": (guards.SQLITE_DROP_GUARDS, guards.SQLITE_GUARDS),
    }
    ops_class = type(connection.ops)
    original = ops_class.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "ocds_pages_release" not in tables or self.connection.vendor not in around:
            return statements
        before, after = around[self.connection.vendor]
        return [*before, *statements, *after]

    ops_class.sql_flush = sql_flush


@pytest.fixture(autouse=True, scope="session")
def release_guards_lifted_for_flush():
    _flush_lifts_the_release_guards()
