"""A database made for one benchmark and dropped after it (the bench_* commands)."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def throwaway_database(suffix: str):
    """Run the block on a new, migrated database, dropped afterwards: ``<NAME>_<suffix>`` on
    PostgreSQL, the test database Django would make elsewhere (in memory on SQLite)."""
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "postgresql":
        test["NAME"] = f"{connection.settings_dict['NAME']}_{suffix}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
