"""The risk index listens to the engine (connected in IndicadoresConfig.ready)."""

from indicadores.engine.process import ProcessView
from indicadores.risk import counts, services


def outcomes_computed(sender, *, ocid, entity_id, unit_id, outcomes, release=None, **kwargs):
    """indicadores.signals.outcomes_computed: update the process's contribution to the index.

    Only a complete evaluation (every indicator, with the record it judged) moves the index; a
    run limited to some indicators (``calcular_indicadores --indicador``) says ``complete=False``.
    """
    if release is None or not kwargs.get("complete", True):
        return
    view = kwargs.get("view")
    if view is None or view.release is not release:
        view = ProcessView(ocid=ocid, entity_id=entity_id, unit_id=unit_id, release=release)
    statuses = kwargs.get("statuses")
    services.receive(services.Evaluated(view=view, outcomes=list(outcomes), statuses=statuses))


def alert_statuses_changed(sender, *, changes, **kwargs):
    """indicadores.signals.alert_statuses_changed: move the dashboard's alert counts. While a
    recompute collects, the alerts' entities are rebuilt at its end instead (a worker of a
    parallel recompute must not lock the counts every worker shares)."""
    if not services.note_entities({alert.entity_id for alert, _previous in changes}):
        counts.move_alerts(changes)
