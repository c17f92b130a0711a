"""The indicator families; each module registers its indicators when imported.

docs/indicadores.md defines every indicator (definition, data, thresholds, source, eligibility).
"""

import importlib

FAMILIES = (
    "indicadores.indicators.registries",
    "indicadores.indicators.competition",
    "indicadores.indicators.transparency",
    "indicadores.indicators.capture_rules",  # our LAASSP capture rules on imported data
    "indicadores.monitoring.indicators",  # contract monitoring (issue 19)
    "indicadores.market.indicator",  # award price against the market research (issue 18)
)


def load_all() -> None:
    for module in FAMILIES:
        importlib.import_module(module)
