"""Receivers of the alert system (connected in IndicadoresConfig.ready)."""

from indicadores.alerts import record_outcomes


def outcomes_computed(sender, *, ocid, entity_id, unit_id, outcomes, computed_at=None, **kwargs):
    """indicadores.signals.outcomes_computed: open, update or annotate the process's alerts."""
    record_outcomes(
        ocid=ocid,
        entity_id=entity_id,
        unit_id=unit_id,
        outcomes=outcomes,
        computed_at=computed_at,
    )
