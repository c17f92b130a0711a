"""Contract monitoring (issue 19): every contract followed to its last payment.

Computed from the published compiled records only (docs/arquitectura.md §1), like the indicators:

* ``assess`` turns one contract of a record into a ``ContractState`` — planned vs actual
  milestones, payments against the original and the amended value, physical vs financial progress,
  days to end, guarantees and their expiry, penalties, amendments against LAASSP art. 52 — and
  the status that follows from them (docs/indicadores.md, «Seguimiento de contratos»);
* ``indicators`` registers the statuses that are red flags (MX-OVERDUE, MX-PAYAHEAD,
  MX-GUARANTEE; over-payment and amendments beyond the limit are the existing MX-OVERPAY and
  MX-AMEND, whose thresholds the states use too), so they reach the alert system;
* ``store`` keeps one indexed row per contract (``MonitoredContract``) and its dated events,
  refreshed by ``calcular_indicadores`` and on every publication, for the dashboards and the API.
"""
