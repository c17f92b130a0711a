"""Tunables of the indicator engine, read from Django settings with the sources' defaults.

They live here rather than in cms/settings.py so the app carries its own defaults; an installation
overrides any of them in its settings module:

* ``INDICADORES_UMBRALES`` — ``{code: {threshold: value}}``, merged over each indicator's defaults
  (docs/indicadores.md lists every threshold by name).
* ``INDICADORES_BLOQUEANTES`` — the codes whose *high-severity* findings block an approval until
  the approver writes a justification.
* ``INDICADORES_REVISAR_UMBRALES`` — the share of eligible processes above which an indicator is
  marked «revise los umbrales» (red-flag tools are criticised for false positives).
* ``INDICADORES_LOTE`` — how many processes ``calcular_indicadores`` evaluates per batch of
  registry look-ups.
"""

from typing import Any

from django.conf import settings

DEFAULT_BLOCKING = frozenset({"MX-SANC", "MX-EFOS", "MX-CONFLICT"})
DEFAULT_REVIEW_SHARE = 0.25
DEFAULT_BATCH = 500


def threshold_overrides(code: str) -> dict[str, Any]:
    """The thresholds of ``code`` the installation overrides (empty when none)."""
    return dict(getattr(settings, "INDICADORES_UMBRALES", {}).get(code, {}))


def blocking_codes() -> frozenset[str]:
    return frozenset(getattr(settings, "INDICADORES_BLOQUEANTES", DEFAULT_BLOCKING))


def review_share() -> float:
    return float(getattr(settings, "INDICADORES_REVISAR_UMBRALES", DEFAULT_REVIEW_SHARE))


def batch_size() -> int:
    return int(getattr(settings, "INDICADORES_LOTE", DEFAULT_BATCH))
