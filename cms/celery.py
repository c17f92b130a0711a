"""The Celery application of the project: ``celery -A cms worker`` and ``celery -A cms beat``.

Its configuration is the Django settings prefixed ``CELERY_`` (cms/settings.py, «Trabajos en
segundo plano»). The tasks are the long jobs every app registers in cms.jobs when Django starts;
the worker starts Django (Celery's Django fix-up), so it knows them all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
