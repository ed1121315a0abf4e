"""Claim models: validation at construction names the field; JSON round trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from models.claim import Claim, Diagnosis, Payer, Provider, ServiceLine, Subscriber
from models.json import from_json, to_json
from models.strategies_claims import claim_lists

BAD = [
    (lambda: Provider("CLINIC", npi="1234567890"), "npi"),
    (lambda: ServiceLine("99213", Decimal("-1"), dt.date(2024, 1, 1)), "charge"),
    (lambda: Subscriber("", "M1"), "last_name"),
    (lambda: Diagnosis(" "), "code"),
    (
        lambda: ServiceLine("99213", 1, dt.date(2024, 1, 1), diagnosis_pointers=(1, 2, 3, 4, 5)),
        "diagnosis_pointers",
    ),
    (lambda: ServiceLine("99213", 1, dt.date(2024, 1, 1), modifiers=("25", "")), "modifiers"),
]


@pytest.mark.parametrize(("build", "field"), BAD)
def test_invalid_values_are_refused_naming_the_field(build: object, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}:"):
        build()  # type: ignore[operator]


def test_npi_message_does_not_print_the_value() -> None:
    with pytest.raises(ValueError) as info:
        Provider("CLINIC", npi="1234567890")
    assert "1234567890" not in str(info.value)


def test_claim_line_total() -> None:
    line = ServiceLine("99213", "75.00", dt.date(2024, 1, 2))
    claim = Claim(
        "A1",
        "150.00",
        "11",
        Provider("C", npi="1234567893"),
        Subscriber("DOE", "M1"),
        Payer("P", "1"),
        (Diagnosis("J069"),),
        (line, line),
    )
    assert claim.line_total == Decimal("150.00")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_lists())
def test_json_round_trip(claims: list[Claim]) -> None:
    assert from_json(to_json(claims), list[Claim]) == claims


def test_json_errors_name_the_path() -> None:
    with pytest.raises(ValueError, match="charge"):
        from_json('{"id": "A", "charge": "x"}', Claim)
