"""Validation checks a transaction as it reads it (x12.validate.UnitChecks).

``edi837.validate`` and ``edi835.validate`` check each unit loop (837: billing and subscriber
levels, 2000A/2000B; 835: claims and LX groups, 2100/2000) as it closes, then let its segments
go. The report must be the one the same checks make on the whole tree (a hook given the
transaction's tree: ``edi837.validation._claim_rules``, ``edi835.validation._whole_tree_rules``):
the same findings in the same order, on the corpus, on generated files, on damaged ones and on
files whose HLs return to earlier levels; and memory must not grow with the file.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edi835
import edi837
from _corpus import corpus_files
from _damage import damage, peak
from _generated import write_837
from edi835 import fake as fake835
from edi835 import validation as v835
from edi837 import validation as v837
from x12 import validate as xv
from x12.errors import X12Error

TODAY = dt.date(2026, 1, 1)


#: (guides, streamed checks, the same checks as a whole-tree hook, ST01) of each validator
_CHECKS: dict[str, tuple[Any, xv.UnitChecks, Any, str]] = {
    "837": (v837.guide_for, v837.UNITS, v837._claim_rules, "837"),
    "835": (v835._guide, v835.UNITS, v835._whole_tree_rules, "835"),
}


def _check(kind: str, data: str | bytes, streamed: bool) -> xv.ValidationReport:
    guides, units, hook, tx_id = _CHECKS[kind]
    if streamed:
        return xv.validate(data, guides=guides, units=units, transaction_ids=(tx_id,), today=TODAY)
    return xv.validate(data, guides=guides, hooks=(hook,), transaction_ids=(tx_id,), today=TODAY)


def _837(data: str | bytes, *, streamed: bool) -> xv.ValidationReport:
    return _check("837", data, streamed)


def _835(data: str | bytes, *, streamed: bool) -> xv.ValidationReport:
    return _check("835", data, streamed)


_write = write_837


def _835_text(claims: int, seed: int) -> str:
    remittance = fake835.adjudicate(fake835.synthetic_claims(claims, seed=seed), seed=seed)
    return edi835.dumps([remittance], timestamp=dt.datetime(2024, 5, 1))


def test_the_public_validators_stream() -> None:
    assert v837.UNITS.loops == frozenset({"2000A", "2000B"})
    assert v835.UNITS.loops == frozenset({"2000", "2100"})
    text = _write("837P", 30, seed=4)
    assert edi837.validate(text, today=TODAY) == _837(text, streamed=True)


@pytest.mark.parametrize("kind", ["837P", "837I", "837D"])
def test_generated_837s_validate_the_same(kind: str) -> None:
    text = _write(kind, 80, seed=21, every_loop=kind != "837D")
    streamed = _837(text, streamed=True)
    assert streamed == _837(text, streamed=False)
    assert streamed.segments == text.count("~") - 4  # ISA GS GE IEA are not a transaction's


def test_a_generated_835_validates_the_same() -> None:
    text = _835_text(60, seed=3)
    streamed = _835(text, streamed=True)
    assert streamed.transactions == 1
    assert streamed == _835(text, streamed=False)


CORPUS = corpus_files()


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not beside the repository")
def test_corpus_files_validate_the_same() -> None:
    findings = 0
    for path in CORPUS:
        data = path.read_bytes()
        for check in (_837, _835):
            whole = check(data, streamed=False)
            assert check(data, streamed=True) == whole, path.name
            findings += len(whole.findings)
    assert findings > 100  # the INVALID files among them have findings to compare


BASE = _write("837P", 5, seed=5, every_loop=True).split("~")


@settings(max_examples=120, deadline=None)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["drop", "copy", "swap", "hl02", "value"]),
            st.integers(),
            st.integers(),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_damaged_837s_validate_the_same(edits: list[tuple[str, int, int]]) -> None:
    segs = list(BASE)
    head, body, tail = segs[:3], damage(segs[3:-3], edits), segs[-3:]  # ISA GS ST ... SE GE IEA
    text = "~".join(head + body + tail)
    assert _837(text, streamed=True) == _837(text, streamed=False)


# HL 2 is a subscriber level with a claim of its own; HL 3 another, with 900 claims (more
# than one batch of the tokenizer, 32 KB: HL 2 is checked before HL 4 is read); then HL 4, a
# patient level, returns to HL 2 (its HL02). Whether SBR02 of HL 2 contradicts its levels can
# only be told once HL 4 is seen: a streamed check sees HL 2 twice (when HL 3 opens, and at
# SE).
_ENVELOPE = (
    "ISA*00*          *00*          *ZZ*S              *ZZ*R              *200101*1200*^*"
    "00501*000000001*0*T*:~GS*HC*S*R*20200101*1200*1*X*005010X222A1~"
)
_CLAIM = "CLM*{n}*10***11:B:1*Y*A*Y*Y~HI*ABK:R51~LX*1~SV1*HC:99213*10*UN*1***1~DTP*472*D8*20200101~"


def _returning(sbr02: str) -> str:
    body = (
        "ST*837*1*005010X222A1~BHT*0019*00*1*20200101*1200*CH~NM1*41*2*S*****46*1~"
        "PER*IC*X*TE*1~NM1*40*2*R*****46*2~"
        "HL*1**20*1~NM1*85*2*B*****XX*1234567893~N3*A~N4*C*NY*12345~REF*EI*123456789~"
        f"HL*2*1*22*1~SBR*P*{sbr02}*******CI~NM1*IL*1*E****MI*2~NM1*PR*2*P*****PI*1~"
        + _CLAIM.format(n=1)
        + "HL*3*1*22*0~SBR*P*18*******CI~NM1*IL*1*F****MI*3~NM1*PR*2*P*****PI*1~"
        + "".join(_CLAIM.format(n=f"F{k}") for k in range(900))
        + "HL*4*2*23*0~PAT*19~NM1*QC*1*KID~"
        + _CLAIM.format(n=3)
    )
    count = body.count("~") + 1
    return _ENVELOPE + body + f"SE*{count}*1~GE*1*1~IEA*1*000000001~"


def _conflicts(report: xv.ValidationReport) -> list[tuple[int | None, str]]:
    return [
        (f.location.segment_index if f.location else None, f.message)
        for f in report.findings
        if f.code == "PATIENT_IS_SUBSCRIBER_CONFLICT"
    ]


def test_a_level_returned_to_is_judged_on_all_it_holds() -> None:
    # SBR02 empty (not self) with a claim of its own: "needs SBR02 = 18" when HL 3 opens,
    # withdrawn when HL 4 brings a patient level (a whole-tree check never says it)
    text = _returning("")
    assert text.index("HL*4*2*23") > 2 * (1 << 15)
    whole = _837(text, streamed=False)
    assert _conflicts(whole) == []
    assert _837(text, streamed=True) == whole
    # SBR02 = 18 (self): nothing to say when HL 3 opens; HL 4's patient level contradicts it
    text = _returning("18")
    whole = _837(text, streamed=False)
    (conflict,) = _conflicts(whole)
    assert "yet a patient loop (2000C) follows" in conflict[1]
    assert _837(text, streamed=True) == whole


def test_837_validation_memory_does_not_grow_with_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # besides the open loops, a streamed check keeps the findings of segments it has checked
    # (x12.validate._MEMO_MAX, 10,000 by default): made small so that both files reach it
    monkeypatch.setattr(xv, "_MEMO_MAX", 200)
    small, large = _write("837P", 150, seed=1), _write("837P", 600, seed=1)
    small_peak = peak(lambda: _837(small, streamed=True))
    large_peak = peak(lambda: _837(large, streamed=True))
    # four times the claims: the input itself is held (the report keeps it, for its 999),
    # the loops are not; a whole-tree check holds them all
    grown = large_peak - small_peak
    assert grown < 3 * (len(large) - len(small)), (small_peak, large_peak)
    assert peak(lambda: _837(large, streamed=False)) > 3 * large_peak


def test_835_validation_memory_does_not_grow_with_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xv, "_MEMO_MAX", 200)
    small, large = _835_text(150, seed=1), _835_text(600, seed=1)
    # edi835.validate whole: the loops checked as read, and the balancing (SNIP 3) streamed;
    # once first, so that the reader's bounded caches (amounts, dates, codes) are filled
    edi835.validate(large, today=TODAY)
    small_peak = peak(lambda: edi835.validate(small, today=TODAY))
    large_peak = peak(lambda: edi835.validate(large, today=TODAY))
    grown = large_peak - small_peak
    assert grown < 3 * (len(large) - len(small)), (small_peak, large_peak)
    assert peak(lambda: _835(large, streamed=False)) > 2 * large_peak


def test_hooks_and_units_are_not_given_together() -> None:
    with pytest.raises(ValueError, match="not both"):
        xv.validate(
            _write("837P", 1, seed=1),
            guides=v837.guide_for,
            hooks=(v837._claim_rules,),
            units=v837.UNITS,
        )


# -- a file validated by its path is read as it is checked -----------------------------------


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not beside the repository")
def test_a_path_validates_as_its_bytes() -> None:
    answered = 0
    for path in CORPUS:
        data = path.read_bytes()
        for validate in (edi837.validate, edi835.validate):
            by_path, by_bytes = validate(path, today=TODAY), validate(data, today=TODAY)
            assert by_path == by_bytes, path.name
            if by_bytes.readable and by_bytes.transactions:
                try:
                    expected = by_bytes.to_999()
                except X12Error:
                    continue
                assert by_path.to_999() == expected, path.name
                assert by_path.to_ta1() == by_bytes.to_ta1(), path.name
                answered += 1
    assert answered > 20


def test_a_path_is_not_held_whole(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # besides a batch and the open loops, a streamed check keeps checked segments' findings
    # (_MEMO_MAX) and the HL levels a later HL may return to (UNITS.max_hl, 4,096): both made
    # small so that both files reach them
    monkeypatch.setattr(xv, "_MEMO_MAX", 200)
    monkeypatch.setattr(v837, "UNITS", v837.UNITS._replace(max_hl=16))
    small, large = tmp_path / "small.837", tmp_path / "large.837"
    small.write_text(_write("837P", 150, seed=1))
    large.write_text(_write("837P", 1200, seed=1))
    edi837.validate(large, today=TODAY)  # the guide's tables, compiled once
    small_peak = peak(lambda: edi837.validate(small, today=TODAY))
    large_peak = peak(lambda: edi837.validate(large, today=TODAY))
    size = large.stat().st_size
    assert size > 500_000
    # eight times the claims, and the peak moves by far less than the file's size: a batch
    # of segments and the open loops are held, not the input
    assert large_peak - small_peak < size / 4, (small_peak, large_peak, size)


def test_an_unreadable_path_is_an_os_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(OSError):
        edi837.validate(tmp_path / "missing.837")
    with pytest.raises(OSError):
        edi835.validate(tmp_path)  # a directory
