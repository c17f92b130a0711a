"""The contract's progress block (indicadores/templates/indicadores/monitoring/progress.html)."""

import datetime
from decimal import Decimal

from django.template.loader import render_to_string

from indicadores.monitoring.choices import ContractStatus
from indicadores.monitoring.models import MonitoredContract


def rendered(**fields) -> str:
    contract = MonitoredContract(
        status=ContractStatus.OVER_AMENDED,
        original_amount=Decimal("222000"),
        amount=Decimal("255300"),
        currency="MXN",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        detail={},
        **fields,
    )
    return " ".join(
        render_to_string("indicadores/monitoring/progress.html", {"contract": contract}).split()
    )


def test_the_article_52_warning_names_what_grew_and_by_how_much():
    # The amount rose 15 %, the term 21 %: the warning must not stand beside the amount alone.
    html = rendered(
        value_increase=Decimal("0.15"), period_increase=Decimal("0.213"), over_amended=True
    )
    amount_line = html.split("Monto original y vigente")[1].split("</dd>")[0]
    assert "(15 %)" in amount_line and "art. 52" not in amount_line
    assert "plazo ampliado 21 %" in html
    warning = html.split('data-testid="convenios-excedidos">')[1].split("</dd>")[0]
    assert "más del 20 % que permite el art. 52 de la LAASSP" in warning
    assert "Monto: +15 %; plazo: +21 %." in warning


def test_no_warning_within_the_limit():
    html = rendered(value_increase=Decimal("0.1"), over_amended=False)
    assert "convenios-excedidos" not in html and "art. 52" not in html
