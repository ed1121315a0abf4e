"""The 837P writer: refusals by field path, HL grouping, and pyx12 as the external judge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import edi837
from edi837 import fake
from models.claim import Claim
from models.strategies_claims import claim_lists
from x12.errors import X12WriteError
from x12.pyx12_check import pyx12_available, validate_with_pyx12

TS = dt.datetime(2024, 5, 1, 9, 30)
needs_pyx12 = pytest.mark.skipif(not pyx12_available(), reason="pyx12 is not installed")


def write(claims: list[Claim]) -> str:
    return edi837.dumps(claims, submitter=fake.submitter(), receiver=fake.receiver(), timestamp=TS)


def test_same_seed_same_bytes() -> None:
    assert write(fake.generate(20, 3)) == write(fake.generate(20, 3))


def test_hl_hierarchy_and_dependents() -> None:
    claims = fake.generate(30, 1, providers=2)
    text = write(claims)
    hls = [s.split("*") for s in text.split("~") if s.startswith("HL*")]
    levels = {h[3] for h in hls}
    assert levels == {"20", "22", "23"}
    numbers = [int(h[1]) for h in hls]
    assert numbers == list(range(1, len(hls) + 1))
    for h in hls:
        if h[3] == "20":
            assert h[2] == ""
    assert text.count("~CLM*") == 30


def test_claims_over_100_per_subscriber_are_split() -> None:
    base = fake.generate(1, 5)[0]
    base = attrs.evolve(
        base,
        patient=None,
        other_payers=(),
        service_lines=tuple(attrs.evolve(ln, adjudications=()) for ln in base.service_lines),
    )
    claims = [attrs.evolve(base, id=f"C{i}") for i in range(150)]
    text = write(claims)
    assert text.count("*22*") == 2
    assert edi837.loads(text) == claims


REFUSALS = [
    (lambda c: attrs.evolve(c, charge=c.charge + 1), "claims[0].charge"),
    (
        lambda c: attrs.evolve(
            c,
            service_lines=(attrs.evolve(c.service_lines[0], diagnosis_pointers=(9,)),),
            charge=c.service_lines[0].charge,
        ),
        "claims[0].service_lines[0].diagnosis_pointers[0]",
    ),
    (
        lambda c: attrs.evolve(c, billing_provider=attrs.evolve(c.billing_provider, name="A*B")),
        "claims[0].billing_provider",
    ),
    (
        lambda c: attrs.evolve(c, service_lines=c.service_lines * 26, charge=c.line_total * 26),
        "claims[0].service_lines",
    ),
    (
        lambda c: attrs.evolve(c, billing_provider=attrs.evolve(c.billing_provider, tax_id=None)),
        "claims[0].billing_provider.tax_id",
    ),
]


@pytest.mark.parametrize(("change", "path"), REFUSALS)
def test_refusals_name_the_field(change: object, path: str) -> None:
    claim = attrs.evolve(fake.generate(1, 11)[0], other_payers=())
    claim = attrs.evolve(
        claim, service_lines=tuple(attrs.evolve(ln, adjudications=()) for ln in claim.service_lines)
    )
    bad = change(claim)  # type: ignore[operator]
    with pytest.raises(X12WriteError) as info:
        write([bad])
    paths = [p for p, _ in info.value.problems]
    assert any(p.startswith(path) for p in paths), paths


def test_every_problem_is_listed() -> None:
    claims = fake.generate(3, 2)
    bad = [attrs.evolve(c, charge=c.charge + Decimal("0.01")) for c in claims]
    with pytest.raises(X12WriteError) as info:
        write(bad)
    assert {p for p, _ in info.value.problems} >= {f"claims[{i}].charge" for i in range(3)}


@needs_pyx12
@pytest.mark.parametrize("seed", range(6))
def test_fake_with_every_loop_passes_pyx12(seed: int) -> None:
    text = write(fake.generate(16, seed, every_loop=True, providers=2))
    report = validate_with_pyx12(text)
    assert report.findings == [], [str(f) for f in report.findings]


@needs_pyx12
def test_plain_fake_passes_pyx12() -> None:
    report = validate_with_pyx12(write(fake.generate(120, 42)))
    assert report.findings == [], [str(f) for f in report.findings]


@needs_pyx12
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_lists(max_size=3))
def test_hypothesis_claims_pass_pyx12(claims: list[Claim]) -> None:
    report = validate_with_pyx12(write(claims))
    assert report.findings == [], [str(f) for f in report.findings]


# --- moved from tests/hardening/pending_regressions.py (fixed in the 837 engine) ------------
def _forged_paths(claim: Claim) -> list[tuple[str, list[str]]]:
    from hardening._fields import dotted, replace, string_fields

    missing = []
    for path in string_fields(claim):
        try:
            write([replace(claim, path, "A~NM1*QC*1*FORGED")])
        except X12WriteError as exc:
            want = f"claims[0].{dotted(path)}"
            if not any(p == want for p, _ in exc.problems):
                missing.append((want, [p for p, _ in exc.problems]))
        except (ValueError, TypeError):
            continue
    return missing


def test_write_errors_name_the_field_path_of_an_injected_value() -> None:
    """A value holding delimiters is refused by its exact field path, wherever it is (also
    where the guide's own checks fail first, e.g. a too long code)."""
    claim = fake.generate(1, seed=2, every_loop=True)[0]
    assert _forged_paths(claim) == []


@pytest.mark.parametrize(
    "field",
    ["rendering_provider", "referring_providers", "supervising_provider", "service_facility"],
)
def test_a_set_tax_id_type_is_never_silently_dropped(field: str) -> None:
    from hardening._fields import replace, string_fields

    claim = fake.generate(1, seed=2, every_loop=True)[0]
    paths = [p for p in string_fields(claim) if p[0] == field and p[-1] == "tax_id_type"]
    assert paths, f"the fake claim has no {field}"
    with pytest.raises(X12WriteError):
        write([replace(claim, paths[0], "A~NM1*QC*1*FORGED")])
    with pytest.raises(X12WriteError) as info:
        write([replace(claim, paths[0], "SY")])  # a type without a tax id: nothing to write
    assert any(p.endswith(".tax_id_type") for p, _ in info.value.problems)


@pytest.mark.parametrize("bad_id", ["NM1*QC", "NTE~NM1", "SE", "nm1", ""])
def test_a_kept_segment_id_that_forges_segments_is_refused(bad_id: str) -> None:
    from models.common import UnmappedSegment

    claim = fake.generate(1, seed=2)[0]
    claim = attrs.evolve(claim, unmapped=(UnmappedSegment(bad_id, ((("QC",),),)),))
    with pytest.raises(X12WriteError) as info:
        write([claim])
    assert "claims[0].unmapped[0].id" in [p for p, _ in info.value.problems]
    # also with the business checks off (a lenient reader's models written back)
    from edi837.writer import dumps_submissions
    from models.claim import Submission

    sub = Submission(fake.submitter(), fake.receiver(), (claim,))
    with pytest.raises(X12WriteError) as info:
        dumps_submissions([sub], timestamp=TS, check=False)
    assert "claims[0].unmapped[0].id" in [p for p, _ in info.value.problems]
