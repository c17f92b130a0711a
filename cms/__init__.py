# The Celery application loads with Django, so every registered job kind binds its task to it
# (cms/celery.py).
from cms.celery import app as celery_app

__all__ = ["celery_app"]
