"""The indicator engine: one registry of indicators, a per-process and a set-based entry point.

Public names: ``indicators()``/``indicator(code)`` (the registry), ``evaluate_candidate``,
``evaluate_record``, ``run`` (set-based), ``summarise`` (eligible / flagged / share per indicator).
docs/indicadores.md describes every indicator.
"""
