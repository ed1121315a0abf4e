"""Remittance models: JSON round trip (cattrs), convenience views."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from edi835.json_io import from_json, to_json
from models.common import Adjustment
from models.remittance import (
    Amount,
    ClaimPayment,
    ClaimStatus,
    Procedure,
    Reference,
    Remittance,
    ServicePayment,
)
from models.strategies_remittance import remittances


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(remittances())
def test_json_round_trip(rem: Remittance) -> None:
    assert from_json(to_json([rem])) == [rem]


def test_json_money_is_a_string() -> None:
    svc = ServicePayment(Procedure("HC", "99213"), Decimal("10.50"), Decimal("8"))
    claim = ClaimPayment("A", "1", Decimal("10.50"), Decimal("8"), services=(svc,))
    from edi835.json_io import converter

    data = converter.unstructure(claim)
    assert data["charge"] == "10.50"
    assert data["services"][0]["procedure"]["code"] == "99213"


def test_views() -> None:
    svc = ServicePayment(
        Procedure("HC", "99213"),
        Decimal(100),
        Decimal(80),
        adjustments=(Adjustment("CO", "45", Decimal(20)),),
        references=(Reference("6R", "L1"),),
        amounts=(Amount("B6", Decimal(80)),),
    )
    assert svc.line_item_control_number == "L1"
    assert svc.allowed == Decimal(80)
    assert svc.adjustment_total == Decimal(20)
    claim = ClaimPayment("A", ClaimStatus.DENIED, Decimal(1), Decimal(0))
    assert claim.is_denied and not claim.is_reversal
    assert ClaimStatus("22") is ClaimStatus.REVERSAL
