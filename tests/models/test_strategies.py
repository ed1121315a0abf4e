"""The public Hypothesis strategies (models.strategies): every strategy's examples are valid
models (construction re-run with validators gives the same object) and go through
models.json and back unchanged; the module says how to install Hypothesis when it is absent."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import strategies
from models.acknowledgment import ClaimAcknowledgmentReport
from models.claim import Claim, Submission
from models.common import is_valid_npi
from models.json import from_json, to_json
from models.remittance import Remittance

SRC = Path(__file__).resolve().parents[2] / "src"
MODULES = {"institutional", "dental"}
NAMES = sorted(n for n in strategies.__all__ if n not in MODULES)


def revalidate(obj: Any) -> None:
    """Rebuild every attrs object (converters, validators, post-init run again): it must
    construct and equal the drawn one."""
    if attrs.has(type(obj)):
        assert attrs.evolve(obj) == obj
        for f in attrs.fields(type(obj)):
            revalidate(getattr(obj, f.name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            revalidate(item)


def json_type(obj: Any) -> Any:
    if isinstance(obj, list):
        return list[type(obj[0])] if obj else list[Any]  # type: ignore[misc]
    return type(obj)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_examples_are_valid_and_round_trip_json(name: str, data: st.DataObject) -> None:
    value = data.draw(getattr(strategies, name)(), label=name)
    revalidate(value)
    assert from_json(to_json(value), json_type(value)) == value


def test_every_model_strategy_is_public() -> None:
    expected = {
        "claims",
        "claim_lists",
        "service_lines",
        "diagnoses",
        "providers",
        "billing_providers",
        "subscribers",
        "patients",
        "payers",
        "other_payers",
        "submissions",
        "remittances",
        "claim_payments",
        "service_payments",
        "adjustments",
        "provider_adjustments",
        "acknowledgment_reports",
        "claim_acknowledgments",
    }
    assert expected <= set(strategies.__all__)
    assert all(callable(getattr(strategies, n)) for n in NAMES)
    assert "@given(strategies.claims())" in (strategies.__doc__ or "")


@settings(max_examples=20, deadline=None)
@given(npi=strategies.npis(), amount=strategies.money())
def test_scalar_strategies(npi: str, amount: Decimal) -> None:
    assert is_valid_npi(npi)
    assert amount >= 0 and amount == amount.quantize(Decimal("0.01"))


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim=strategies.claims())
def test_claims_add_up(claim: Claim) -> None:
    assert claim.charge == claim.line_total
    for line in claim.service_lines:
        assert max(line.diagnosis_pointers) <= len(claim.diagnoses)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(rem=strategies.remittances())
def test_remittances_balance(rem: Remittance) -> None:
    for claim in rem.claims:
        for s in claim.services:
            assert s.charge - s.paid == s.adjustment_total
        lines = sum((s.adjustment_total for s in claim.services), Decimal(0))
        assert claim.charge - claim.paid == claim.adjustment_total + lines
    paid = sum((c.paid for c in rem.claims), Decimal(0))
    assert rem.amount == paid - rem.provider_adjustment_total


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(report=strategies.acknowledgment_reports(), sub=strategies.submissions(max_claims=2))
def test_nested_documents(report: ClaimAcknowledgmentReport, sub: Submission) -> None:
    assert report.claims and all(c.statuses for c in report.claims)
    assert sub.claims


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_strategy_steering_arguments(data: st.DataObject) -> None:
    billing = data.draw(strategies.billing_providers())
    claim = data.draw(strategies.claims(billing=st.just(billing)))
    assert claim.billing_provider == billing
    line = data.draw(strategies.service_lines(n_diagnoses=3))
    assert all(1 <= p <= 3 for p in line.diagnosis_pointers)


def test_optional_837i_837d_modules_are_guarded() -> None:
    for mod in (strategies.institutional, strategies.dental):
        if mod is not None:
            for name in getattr(mod, "__all__", ()):
                assert hasattr(strategies, name) or hasattr(mod, name)


@pytest.mark.parametrize(
    "module", ["models.strategies", "models.strategies_claims", "models.strategies_remittance"]
)
def test_without_hypothesis_the_import_error_says_how_to_install(module: str) -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        f"try:\n    import {module}\n"
        "except ImportError as exc:\n    print(exc)\n"
        "else:\n    print('imported')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
        check=True,
    ).stdout
    assert 'pip install "x12-claims[hypothesis]"' in out
