"""The fake payer's mix (edi835.fake.AdjudicationMix): each knob produces the share it says
(within a tolerance several standard deviations wide), every mix balances, small outputs
with every knob on pass pyx12, and the default mix is the payer the module always was."""

from __future__ import annotations

from decimal import Decimal

import pytest

import edi835
import edi837
from edi835.balance import balance
from edi835.fake import (
    DEFAULT_MIX,
    DENIALS,
    AdjudicationMix,
    adjudicate,
    claims_from_837,
    synthetic_claims,
)
from edi835.writer import dumps
from edi837 import fake as fake837
from models.remittance import ClaimPayment, Remittance
from x12.pyx12_check import pyx12_available, validate_with_pyx12

N = 3000
DENIAL_CODES = {(str(g), carc) for g, carc, _ in DENIALS}
CLAIMS = synthetic_claims(N, seed=5)


def final(rem: Remittance) -> list[ClaimPayment]:
    """The claims as finally adjudicated (reversals left out)."""
    return [c for c in rem.claims if c.status != "22"]


def share(count: int, total: int) -> float:
    assert total > 0
    return count / total


def is_denied_line(s: object) -> bool:
    return any((str(a.group), a.reason) in DENIAL_CODES for a in s.adjustments)  # type: ignore[attr-defined]


@pytest.mark.parametrize("denied", [0.0, 0.1, 0.4])
def test_claim_denials(denied: float) -> None:
    rem = adjudicate(CLAIMS, seed=1, mix=AdjudicationMix(denied=denied, denied_lines=0))
    got = share(sum(c.status == "4" for c in final(rem)), N)
    assert got == pytest.approx(denied, abs=0.03)


@pytest.mark.parametrize(("full", "partial"), [(0.15, 0.35), (0.5, 0.1), (0.0, 0.9)])
def test_paid_in_full_and_in_part(full: float, partial: float) -> None:
    mix = AdjudicationMix(denied=0.05, paid_in_full=full, partial=partial, denied_lines=0)
    claims = final(adjudicate(CLAIMS, seed=2, mix=mix))
    assert share(sum(c.paid == c.charge for c in claims), N) == pytest.approx(full, abs=0.03)
    owing = sum(c.status == "1" and (c.patient_responsibility or 0) > 0 for c in claims)
    assert share(owing, N) == pytest.approx(partial, abs=0.03)


@pytest.mark.parametrize("lines", [0.0, 0.06, 0.3])
def test_line_denials(lines: float) -> None:
    mix = AdjudicationMix(denied=0, paid_in_full=0, denied_lines=lines, reversals=0)
    services = [s for c in final(adjudicate(CLAIMS, seed=3, mix=mix)) for s in c.services]
    got = share(sum(is_denied_line(s) for s in services), len(services))
    assert got == pytest.approx(lines, abs=0.03)


@pytest.mark.parametrize("reversals", [0.0, 0.04, 0.25])
def test_reversals_with_corrections(reversals: float) -> None:
    rem = adjudicate(CLAIMS, seed=4, mix=AdjudicationMix(reversals=reversals))
    claims = rem.claims
    paid = [c for c in final(rem) if c.status != "4"]
    reversed_ = [i for i, c in enumerate(claims) if c.status == "22"]
    assert share(len(reversed_), len(paid)) == pytest.approx(reversals, abs=0.03)
    for i in reversed_:  # each reversal is followed by the corrected claim
        assert claims[i + 1].patient_control_number == claims[i].patient_control_number
        assert claims[i + 1].status != "22" and claims[i].paid <= 0


@pytest.mark.parametrize("crossover", [0.1, 0.5])
def test_crossovers(crossover: float) -> None:
    rem = adjudicate(CLAIMS, seed=5, mix=AdjudicationMix(crossover=crossover))
    claims = final(rem)
    primary = [c for c in claims if c.status in ("1", "19")]
    forwarded = [c for c in claims if c.status == "19"]
    assert share(len(forwarded), len(primary)) == pytest.approx(crossover, abs=0.03)
    assert all(c.crossover_carrier is not None for c in forwarded)
    assert all(c.crossover_carrier.entity == "TT" for c in forwarded)  # type: ignore[union-attr]


@pytest.mark.parametrize("unanswered", [0.05, 0.3])
def test_unanswered_claims_leave_the_others_unchanged(unanswered: float) -> None:
    mix = AdjudicationMix(unanswered=unanswered)
    rem = adjudicate(CLAIMS, seed=6, mix=mix)
    answered = {c.patient_control_number for c in rem.claims}
    assert share(N - len(answered), N) == pytest.approx(unanswered, abs=0.03)
    everything = adjudicate(CLAIMS, seed=6)
    kept = [c for c in everything.claims if c.patient_control_number in answered]
    assert list(rem.claims) == kept


@pytest.mark.parametrize("cob", [1.0, 0.5])
def test_secondary_claims_processed_as_secondary(cob: float) -> None:
    claims = synthetic_claims(N, seed=8, secondary=0.3)
    secondary = {c.patient_control_number for c in claims if c.payer_responsibility == "S"}
    assert share(len(secondary), N) == pytest.approx(0.3, abs=0.03)
    assert all(c.prior_paid and c.prior_paid > 0 for c in claims if c.payer_responsibility == "S")
    rem = adjudicate(claims, seed=8, mix=AdjudicationMix(cob=cob))
    of_secondary = [c for c in final(rem) if c.patient_control_number in secondary]
    not_denied = [c for c in of_secondary if c.status != "4"]
    as_secondary = [c for c in not_denied if c.status == "2"]
    assert share(len(as_secondary), len(not_denied)) == pytest.approx(cob, abs=0.05)
    for c in as_secondary:  # what the prior payer paid comes off (OA-23) when anything is paid
        oa23 = any(a.group == "OA" and a.reason == "23" for s in c.services for a in s.adjustments)
        assert oa23 or c.paid == 0
    assert all(c.status != "2" for c in final(rem) if c.patient_control_number not in secondary)
    assert balance([rem]).balanced


def test_secondary_share_leaves_the_claims_otherwise_unchanged() -> None:
    plain = synthetic_claims(200, seed=9)
    mixed = synthetic_claims(200, seed=9, secondary=0.5)
    assert [c.lines for c in plain] == [c.lines for c in mixed]


def test_default_mix_is_the_original_payer() -> None:
    claims = CLAIMS[:300]
    assert adjudicate(claims, seed=3) == adjudicate(claims, seed=3, mix=DEFAULT_MIX)
    assert AdjudicationMix() == DEFAULT_MIX
    assert (DEFAULT_MIX.crossover, DEFAULT_MIX.unanswered, DEFAULT_MIX.cob) == (0, 0, 0)


EXTREMES = [
    AdjudicationMix(denied=1.0, paid_in_full=0, partial=0),
    AdjudicationMix(denied=0, paid_in_full=1.0, partial=0, reversals=1.0),
    AdjudicationMix(denied=0, paid_in_full=0, partial=1.0, denied_lines=1.0),
    AdjudicationMix(reversals=1.0, crossover=1.0, cob=1.0, unanswered=0.5),
    AdjudicationMix(unanswered=1.0),
]


@pytest.mark.parametrize("mix", EXTREMES)
def test_every_mix_balances(mix: AdjudicationMix) -> None:
    rem = adjudicate(synthetic_claims(300, seed=10, secondary=0.3), seed=10, mix=mix)
    assert balance([rem]).balanced
    text = dumps([rem])
    assert edi835.loads(text) == [rem]


@pytest.mark.parametrize(
    "kwargs",
    [{"denied": 1.5}, {"crossover": -0.1}, {"denied": 0.6, "partial": 0.6}, {"cob": True}],
)
def test_bad_mix_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        AdjudicationMix(**kwargs)  # type: ignore[arg-type]


def test_bad_counts_and_shares_are_refused() -> None:
    with pytest.raises(ValueError):
        synthetic_claims(-1)
    with pytest.raises(ValueError):
        synthetic_claims(3, secondary=2)


def test_secondary_837_claims_are_read_with_the_prior_payment() -> None:
    claims = fake837.generate(40, 3)
    text = edi837.dumps(claims, submitter=fake837.submitter(), receiver=fake837.receiver())
    inputs, parties = claims_from_837(text)
    assert [c.patient_control_number for c in inputs] == [c.id for c in claims]
    for claim, got in zip(claims, inputs, strict=True):
        assert got.payer_responsibility == claim.subscriber.payer_responsibility
        want = claim.other_payers[0].paid if claim.other_payers else None
        assert got.prior_paid == (want if got.payer_responsibility != "P" else None)
        assert got.patient_last == (claim.patient or claim.subscriber).last_name
    assert any(c.payer_responsibility == "S" for c in inputs)
    assert parties.payee_npi == claims[0].billing_provider.npi
    rem = adjudicate(inputs, seed=3, parties=parties, mix=AdjudicationMix(cob=1.0))
    assert balance([rem]).balanced
    assert {c.status for c in rem.claims} >= {"1", "2"}


@pytest.mark.skipif(not pyx12_available(), reason="pyx12 is not installed")
@pytest.mark.parametrize("seed", [2, 3])
def test_pyx12_accepts_every_knob(seed: int) -> None:
    mix = AdjudicationMix(
        denied=0.2, denied_lines=0.2, reversals=0.3, crossover=0.3, unanswered=0.1, cob=1.0
    )
    rem = adjudicate(synthetic_claims(30, seed=seed, secondary=0.3), seed=seed, mix=mix)
    statuses = {c.status for c in rem.claims}
    assert {"1", "2", "4", "19", "22"} <= statuses
    report = validate_with_pyx12(dumps([rem]))
    assert report.findings == [], [str(f) for f in report.findings]


def test_amounts_are_money() -> None:
    rem = adjudicate(CLAIMS[:500], seed=11, mix=AdjudicationMix(cob=1.0, crossover=0.3))
    cent = Decimal("0.01")
    for c in rem.claims:
        for s in c.services:
            assert s.paid == s.paid.quantize(cent)
            assert all(a.amount == a.amount.quantize(cent) for a in s.adjustments)
