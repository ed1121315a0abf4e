"""edi837.fake: the claim mix (ClaimMix) gives the shares it says, every claim is a valid
model, the same arguments give the same claims (and the same claims as the generator always
gave: the default mix is the old generator), and small outputs pass pyx12."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

import edi837
from edi837 import fake
from edi837.fake import DEFAULT_MIX, ClaimMix, generate
from models.claim import Claim
from x12.pyx12_check import pyx12_available, validate_with_pyx12

N = 3000
TS = dt.datetime(2024, 5, 1, 10, 0)


def write(claims: list[Claim]) -> str:
    return edi837.dumps(claims, submitter=fake.submitter(), receiver=fake.receiver(), timestamp=TS)


def revalidate(obj: Any) -> None:
    """Every attrs object rebuilt with validators on equals the generated one."""
    if attrs.has(type(obj)):
        assert attrs.evolve(obj) == obj
        for f in attrs.fields(type(obj)):
            revalidate(getattr(obj, f.name))
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            revalidate(item)


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def test_same_arguments_same_claims() -> None:
    assert generate(60, 4) == generate(60, 4)
    assert generate(60, 4) == generate(60, 4, mix=DEFAULT_MIX)
    assert generate(40, 4, every_loop=True) == generate(40, 4, mix=ClaimMix(every_loop=1.0))
    assert generate(60, 4) != generate(60, 5)
    m = ClaimMix(secondary=0.5, dependents=0.1, rendering=0.9, every_loop=0.3)
    assert generate(80, 2, mix=m) == generate(80, 2, mix=m)


def test_validators_are_back_on_after_generating() -> None:
    generate(3, 1)
    assert not attrs.validators.get_disabled()
    with pytest.raises(ValueError):
        attrs.evolve(generate(1, 1)[0], charge="-1")


@pytest.mark.parametrize("every_loop", [False, True])
def test_every_claim_is_a_valid_model(every_loop: bool) -> None:
    claims = generate(64, 9, every_loop=every_loop)
    revalidate(claims)
    for c in claims:
        assert c.charge == c.line_total
        assert all(max(ln.diagnosis_pointers) <= len(c.diagnoses) for ln in c.service_lines)


@pytest.mark.parametrize("secondary", [0.0, 0.2, 0.7])
def test_secondary_share(secondary: float) -> None:
    claims = generate(N, 1, mix=ClaimMix(secondary=secondary))
    assert share([bool(c.other_payers) for c in claims]) == pytest.approx(secondary, abs=0.03)
    for c in claims:
        if not c.other_payers:
            assert c.subscriber.payer_responsibility == "P"
            continue
        other = c.other_payers[0]
        assert c.subscriber.payer_responsibility == "S"
        assert other.payer.id != c.payer.id
        adjudications = [a for ln in c.service_lines for a in ln.adjudications]
        assert len(adjudications) == len(c.service_lines)
        assert other.paid == sum((a.paid for a in adjudications), 0)
        for ln in c.service_lines:  # each line's adjudication balances against its charge
            a = ln.adjudications[0]
            assert a.paid + sum(x.amount for x in a.adjustments) == ln.charge


@pytest.mark.parametrize("dependents", [0.0, 0.3, 0.9])
def test_dependents_share(dependents: float) -> None:
    claims = generate(N, 2, mix=ClaimMix(dependents=dependents))
    got = share([c.patient is not None for c in claims])
    assert got == pytest.approx(dependents, abs=0.03)
    assert all(c.patient.relationship in ("19", "01", "G8") for c in claims if c.patient)


@pytest.mark.parametrize("rendering", [0.0, 0.4, 1.0])
def test_rendering_share(rendering: float) -> None:
    claims = generate(N, 3, mix=ClaimMix(rendering=rendering))
    got = share([c.rendering_provider is not None for c in claims])
    assert got == pytest.approx(rendering, abs=0.03)


def _featured(c: Claim) -> bool:
    """A claim carrying one of the detectable optional-loop sets (5 of the 8)."""
    first = c.service_lines[0]
    return bool(
        c.dates or c.ambulance or first.unit_type == "MJ" or first.dme_certification or first.drug
    )


@pytest.mark.parametrize("every_loop", [0.0, 0.4, 1.0])
def test_every_loop_share(every_loop: float) -> None:
    claims = generate(1600, 4, mix=ClaimMix(every_loop=every_loop))
    got = share([_featured(c) for c in claims])
    assert got == pytest.approx(every_loop * 5 / 8, abs=0.03)


def test_every_loop_rotation_starts_with_dates_and_references() -> None:
    claims = generate(8, 2, every_loop=True)  # other tests rely on claim 0 carrying these
    assert claims[0].dates and claims[0].references and claims[0].pay_to_address
    assert claims[1].ambulance is not None
    assert claims[5].other_payers and claims[5].other_payers[0].payer_references


@pytest.mark.parametrize(
    "kwargs", [{"secondary": 1.5}, {"dependents": -0.1}, {"every_loop": True}, {"rendering": "x"}]
)
def test_bad_mix_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ClaimMix(**kwargs)  # type: ignore[arg-type]


def test_bad_count_is_refused() -> None:
    with pytest.raises(ValueError):
        generate(-1)
    assert generate(0) == []
    assert len({c.billing_provider for c in generate(50, 1, providers=3)}) == 3


MIXES = [
    ClaimMix(secondary=1.0, dependents=1.0, rendering=1.0),
    ClaimMix(secondary=0.0, dependents=0.0, rendering=0.0),
    ClaimMix(secondary=0.5, dependents=0.5, every_loop=0.5),
]


@pytest.mark.skipif(not pyx12_available(), reason="pyx12 is not installed")
@pytest.mark.parametrize("mix", MIXES)
def test_pyx12_accepts_small_outputs(mix: ClaimMix) -> None:
    report = validate_with_pyx12(write(generate(12, 21, providers=2, mix=mix)))
    assert report.findings == [], [str(f) for f in report.findings]


def test_read_back_equals_generated() -> None:
    claims = generate(30, 6, mix=ClaimMix(secondary=0.5, dependents=0.5, every_loop=0.3))
    back = edi837.loads(write(claims))  # grouped by billing provider and subscriber (HL)
    assert sorted(back, key=lambda c: c.id) == sorted(claims, key=lambda c: c.id)
