"""The entity risk index and the auditors' dashboards (issue 17, docs/indicadores.md §7).

Per process, what the engine found and a few published facts become a *tally* of additive counts
(``tally.py``); a purchasing unit's or an entity's year is the sum of its processes' tallies
(``models.RiskScore``), and the index, its components and the data-quality score are derived
from a sum (``score.py``), so any filter of the dashboard is one more sum of the same numbers.
"""
