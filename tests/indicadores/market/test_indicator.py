"""MX-PRECIO-MERCADO: awarded unit prices against the market-research reference (LAASSP 2-XI)."""

from decimal import Decimal

import pytest

from indicadores.market.models import MarketReport, MarketStudy
from tests.factories import make_user
from tests.indicadores.builders import compiled, view
from tests.indicadores.market.helpers import CUCOP, item
from tests.ocds_pages.factories import make_entity
from workflows.processes.process_models import ContractingProcess

pytestmark = pytest.mark.django_db


def _process_with_report(ocid, reference=Decimal("13.5")):
    entity = make_entity()
    unit = entity.units.create(key="UC1", name="Unidad")
    user = make_user()
    process = ContractingProcess.objects.create(
        entity=entity,
        unit=unit,
        ocid=ocid,
        title="Paracetamol",
        fiscal_year=2026,
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        created_by=user,
    )
    study = MarketStudy.objects.create(
        entity=entity, process=process, title="Paracetamol", search={}, created_by=user
    )
    MarketReport.objects.create(
        study=study,
        created_by=user,
        method="median",
        reference_price=reference,
        unit_key="caja",
        classification_id=CUCOP,
        data_sha256="a" * 64,
        pdf=b"%PDF",
        pdf_sha256="b" * 64,
        xlsx=b"",
        xlsx_sha256="c" * 64,
    )


def _award(ocid, price):
    release = compiled(ocid=ocid)
    release["awards"][0]["items"] = [item(price)]
    return view(release)


def test_price_more_than_ten_percent_above_the_reference_is_flagged(outcomes_of):
    _process_with_report("ocds-x-IMSS-000001")
    (outcome,) = outcomes_of("MX-PRECIO-MERCADO", _award("ocds-x-IMSS-000001", 15))
    assert outcome.flagged  # 15 > 13.5 × 1.10 = 14.85
    assert outcome.evidence["limit"] == "14.8500"
    assert "11.1 %" in outcome.explanation


def test_price_within_the_share_is_not_flagged(outcomes_of):
    _process_with_report("ocds-x-IMSS-000002")
    (outcome,) = outcomes_of("MX-PRECIO-MERCADO", _award("ocds-x-IMSS-000002", 14.85))
    assert outcome.status == "not_flagged"


def test_without_a_market_research_it_is_not_computable(outcomes_of):
    (outcome,) = outcomes_of("MX-PRECIO-MERCADO", _award("ocds-x-IMSS-000003", 99))
    assert outcome.status == "not_computable"
    assert "investigación de mercado" in outcome.missing[0]


def test_an_award_without_unit_prices_is_not_eligible(outcomes_of):
    release = compiled(ocid="ocds-x-IMSS-000004")
    release["awards"][0].pop("items", None)
    assert outcomes_of("MX-PRECIO-MERCADO", view(release)) == []
