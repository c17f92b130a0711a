"""Receivers of the lower layers' signals (connected in MarketConfig.ready)."""

import logging

from indicadores.market.services import refresh_local

logger = logging.getLogger(__name__)


def on_release_published(sender, *, ocid, record, **kwargs) -> None:
    """Refresh the price rows of the process just published.

    After the publication committed: a failure must not reach the person who approved, so it is
    logged and ``reconstruir_precios`` catches the process up.
    """
    try:
        refresh_local(record)
    except Exception:
        logger.exception("Mercado: no se pudieron extraer los precios de %s", ocid)
