"""The 835 writer: read(write(r)) == r, pyx12's judgement, balancing, refusals with paths."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import edi835
from edi835.balance import balance
from edi835.writer import dumps
from models.common import UnmappedSegment
from models.remittance import Remittance
from models.strategies_remittance import remittances
from x12.delimiters import Delimiters
from x12.errors import X12WriteError
from x12.pyx12_check import pyx12_available, validate_with_pyx12

STAMP = dt.datetime(2024, 1, 2, 3, 4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(remittances())
def test_read_write_round_trip(rem: Remittance) -> None:
    text = dumps([rem], timestamp=STAMP)
    assert edi835.loads(text, strict=True) == [rem]
    assert balance([rem]).balanced


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(remittances(max_claims=2))
def test_any_delimiters(rem: Remittance) -> None:
    d = Delimiters("|", ">", "!", "\n")
    assert edi835.loads(dumps([rem, rem], delimiters=d, timestamp=STAMP)) == [rem, rem]


@pytest.mark.skipif(not pyx12_available(), reason="pyx12 is not installed")
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(remittances(max_claims=3))
def test_pyx12_accepts_what_we_write(rem: Remittance) -> None:
    report = validate_with_pyx12(dumps([rem], timestamp=STAMP))
    assert report.findings == []


def _sample() -> Remittance:
    from edi835.fake import adjudicate, synthetic_claims

    return adjudicate(synthetic_claims(3, seed=1), seed=1)


def test_refusal_lists_every_problem_with_paths() -> None:
    rem = _sample()
    claim = rem.claims[1]
    bad_claim = attrs.evolve(claim, patient_control_number="", charge=Decimal("NaN"))
    group = attrs.evolve(rem.groups[0], claims=(rem.claims[0], bad_claim, *rem.claims[2:]))
    bad = attrs.evolve(rem, trace_number=" ", groups=(group,))
    with pytest.raises(X12WriteError) as info:
        dumps([bad])
    paths = [p for p, _ in info.value.problems]
    assert "remittances[0].trace_number" in paths
    assert "remittances[0].groups[0].claims[1].patient_control_number" in paths
    assert "remittances[0].groups[0].claims[1].charge" in paths


def test_delimiter_inside_a_value_is_refused() -> None:
    rem = attrs.evolve(_sample(), trace_number="A*B")
    with pytest.raises(X12WriteError) as info:
        dumps([rem])
    assert info.value.problems == [
        ("remittances[0].trace_number", "contains the element separator '*'")
    ]


Path = tuple[str | int, ...]


def _string_fields(obj: Any, path: Path = ()) -> Iterator[Path]:
    """Paths of every non-empty plain ``str`` value of a model tree."""
    if attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            yield from _string_fields(getattr(obj, f.name), (*path, f.name))
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from _string_fields(item, (*path, i))
    elif isinstance(obj, str) and not isinstance(obj, enum.Enum) and obj:
        yield path


def _replace(obj: Any, path: Path, value: str) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(obj)
        items[head] = _replace(items[head], rest, value)
        return tuple(items)
    return attrs.evolve(obj, **{head: _replace(getattr(obj, head), rest, value)})


def _dotted(path: Path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _with_unmapped(rem: Remittance) -> Remittance:
    """``rem`` with a kept segment in every loop that keeps them (one a composite, one
    repeated) so that their elements are field paths too."""
    kept = (
        UnmappedSegment("NTE", ((("A",),), (("B", "C"),))),
        UnmappedSegment("K3", ((("X",), ("Y",)),)),
    )
    claim = rem.groups[0].claims[0]
    service = attrs.evolve(claim.services[0], unmapped=kept)
    claim = attrs.evolve(claim, unmapped=kept, services=(service, *claim.services[1:]))
    group = attrs.evolve(rem.groups[0], unmapped=kept, claims=(claim, *rem.groups[0].claims[1:]))
    return attrs.evolve(
        rem,
        unmapped=kept,
        payer=attrs.evolve(rem.payer, unmapped=kept),
        groups=(group, *rem.groups[1:]),
    )


@pytest.mark.parametrize("hostile", ["A~NM1*QC*1*FORGED", "A:B", "A\x00B", "A^B"])
def test_every_refusal_names_the_field_path(hostile: str) -> None:
    """A delimiter or control character in any string field (129 of them in the fake
    remittance, kept segments included) is refused by that field's path."""
    from edi835.fake import adjudicate, synthetic_claims

    rem = _with_unmapped(adjudicate(synthetic_claims(2, seed=1), seed=1))
    paths = list(_string_fields(rem))
    assert len(paths) > 120
    missing = []
    for path in paths:
        want = f"remittances[0].{_dotted(path)}"
        if path[-1] == "id" and "unmapped" in path:
            continue  # a kept segment's id is checked as an id (below)
        try:
            dumps([_replace(rem, path, hostile)], timestamp=STAMP)
        except X12WriteError as exc:
            if not any(p == want for p, _ in exc.problems):
                missing.append((want, [p for p, _ in exc.problems]))
        except (ValueError, TypeError):
            continue  # the model itself refuses the value (a validator)
        else:
            # ':' and '^' are only unsafe where a composite or repetition is read
            assert hostile in ("A:B", "A^B"), f"{want} accepted {hostile!r}"
    assert not missing, missing[:5]


@pytest.mark.parametrize("bad_id", ["NM1*QC", "X~NM1", "nte", "", "SE", "ABCD"])
def test_a_kept_segment_cannot_forge_segments(bad_id: str) -> None:
    rem = _with_unmapped(_sample())
    claim = rem.groups[0].claims[0]
    kept = (*claim.unmapped, UnmappedSegment(bad_id, ((("QC",),),)))
    group = attrs.evolve(rem.groups[0], claims=(attrs.evolve(claim, unmapped=kept),))
    with pytest.raises(X12WriteError) as info:
        dumps([attrs.evolve(rem, groups=(group,))])
    assert [p for p, _ in info.value.problems] == [
        "remittances[0].groups[0].claims[0].unmapped[2].id"
    ]


def test_kept_segments_are_written_back() -> None:
    rem = _with_unmapped(_sample())
    text = dumps([rem], timestamp=STAMP)
    assert "NTE*A*B:C~" in text and "K3*X^Y~" in text
    assert edi835.loads(text) == [rem]


def test_cas_and_plb_regrouping() -> None:
    text = dumps([_sample()], timestamp=STAMP)
    for seg in text.split("~"):
        if seg.startswith(("CAS*", "PLB*")):
            assert seg.count("*") <= 19
    assert "ST*835*0001~" in text  # ST03 is "not used" in X221A1


def test_provider_adjustments_of_several_periods_round_trip() -> None:
    """PLB pairs are regrouped by provider and fiscal period, six to a segment. (pyx12 4.0.0
    reports any second PLB segment as a second FOOTER loop although the guide lets PLB
    repeat, so the strategies and ``fake`` keep to one PLB segment.)"""
    from models.remittance import ProviderAdjustment

    rem = _sample()
    d1, d2 = dt.date(2024, 12, 31), dt.date(2025, 12, 31)
    plb = [ProviderAdjustment("1234567893", d1, "L6", Decimal("-1.5"))] * 7
    plb += [ProviderAdjustment("1234567893", d2, "WO", Decimal("2"), "REF1")]
    plb += [ProviderAdjustment("1245319599", d2, "CS", Decimal("3"), "X")]
    rem = attrs.evolve(rem, provider_adjustments=tuple(plb))
    text = dumps([rem], timestamp=STAMP)
    assert [s for s in text.split("~") if s.startswith("PLB")] == [
        "PLB*1234567893*20241231" + "*L6*-1.5" * 6,
        "PLB*1234567893*20241231*L6*-1.5",
        "PLB*1234567893*20251231*WO:REF1*2",
        "PLB*1245319599*20251231*CS:X*3",
    ]
    assert edi835.loads(text) == [rem]
