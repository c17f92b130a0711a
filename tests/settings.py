"""Settings of the test suite: the project's own, with the development tools installed.

tests/devtools/ exercise them, and other tests use their fake PDN servers and demo data; whatever
DEBUG says in the environment, the suite needs them (subprocesses inherit this variable too).
"""

import os

os.environ["DEVTOOLS"] = "1"

from cms.settings import *  # noqa: E402, F403
