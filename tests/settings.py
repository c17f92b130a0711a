"""Settings of the test suite: the project's own, with the development tools installed.

tests/devtools/ exercise them, and other tests use their fake PDN servers and demo data; whatever
DEBUG says in the environment, the suite needs them (subprocesses inherit this variable too).
"""

import os

os.environ["DEVTOOLS"] = "1"

from cms.settings import *  # noqa: E402, F403

# The job tests start a real Celery worker in another process (tests/cms/test_jobs_worker.py); it
# can only see the test database if that is a file, so on SQLite the test database lives in var/
# (pytest-xdist adds a suffix per worker) instead of in memory.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-compra.sqlite3")}  # noqa: F405
    # A test database need not survive a power cut: no fsync, so the file costs what memory did.
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )

# A mirror of the test database under the replica alias, so tests/cms/test_db_replica.py can route
# public reads to it (cms/db_replica.py); without DATABASE_ROUTERS nothing else uses it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
