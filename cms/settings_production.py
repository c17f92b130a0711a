"""Production settings: ``DJANGO_SETTINGS_MODULE=cms.settings_production`` (deploy/systemd/).

The same settings as cms/settings.py with production behaviour forced, whatever the environment
file forgets or says: ``DJANGO_ENV=production`` (the process refuses to start without SECRET_KEY,
ALLOWED_HOSTS and OCID_PREFIX; secure cookies, HSTS, HTTPS redirect), DEBUG off, and the
development tools (devtools/: demo loaders, fake PDN servers, generator, benchmarks) never loaded.
"""

import os

os.environ["DJANGO_ENV"] = "production"
os.environ["DEBUG"] = "0"
os.environ["DEVTOOLS"] = "0"

from cms.settings import *  # noqa: E402, F403
