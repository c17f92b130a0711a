"""Signals other apps listen to (higher layers hook in here instead of being imported).

``release_published`` is sent once per publication, after the transaction commits, with:
``ocid`` (str), ``releases`` (list of the stored ``Release`` rows) and ``record`` (the ``Record``).
Indicators re-evaluate alerts and caches drop their pages from it.
"""

from django.dispatch import Signal

release_published = Signal()
