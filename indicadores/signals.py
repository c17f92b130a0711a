"""Signals of the alert system.

``outcomes_computed`` is sent after the engine evaluated one published process (on
``release_published``, or by ``calcular_indicadores``) with ``ocid``, ``entity_id``, ``unit_id`` and
``outcomes`` (a list of ``indicadores.outcomes.Outcome``, every indicator that applies, flagged or
not), plus ``release`` (the compiled release judged), ``complete`` (False when only some
indicators were evaluated; the risk index, indicadores/risk/, ignores those) and, from the engine,
``view`` (the ``ProcessView`` judged, already parsed) and ``statuses`` (``indicator_statuses`` of
the outcomes: per indicator, flagged, not flagged or not computable).

The alert lifecycle listens to it: a flagged outcome opens or updates an alert; an outcome that is
no longer flagged never closes one by itself (only a person does, through the lifecycle).
"""

from django.dispatch import Signal

outcomes_computed = Signal()

# Sent inside the transaction that opens, reopens or moves alerts, with ``changes``: a list of
# (alert, its previous status; empty for a new one). The risk dashboard's alert counts listen
# (indicadores/risk/counts.py), so the alert lifecycle never names them.
alert_statuses_changed = Signal()
