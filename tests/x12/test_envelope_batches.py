"""TransactionStream.batches(): the fast path gives exactly what segment-by-segment reading
gives (segments, trailer checks, issues, locations), whatever the chunking."""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _corpus import corpus_files
from x12.envelope import EnvelopeReader
from x12.errors import IssueLog, Location, X12Error

GOOD = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501"
    "*000000001*0*T*:~\n"
    "GS*HP*S*R*20240101*1200*1*X*005010X221A1~\n"
    "ST*835*0001*005010X221A1~\nBPR*I*1*C*CHK~\nTRN*1*T*1~\nN1*PR*P~\nSE*5*0001~\n"
    "ST*835*0002*005010X221A1~\nBPR*I*2*C*CHK~\nSE*3*0002~\n"
    "GE*2*1~\nIEA*1*000000001~\n"
)

CASES = {
    "good": GOOD,
    "se_count_wrong": GOOD.replace("SE*5*0001", "SE*9*0001"),
    "se_control_wrong": GOOD.replace("SE*3*0002", "SE*3*0003"),
    "missing_se": GOOD.replace("SE*5*0001~\n", ""),
    "missing_se_at_end": GOOD.split("SE*3*0002")[0],
    "empty_body": GOOD.replace("BPR*I*2*C*CHK~\nSE*3*0002", "SE*2*0002"),
    "missing_ge": GOOD.replace("GE*2*1~\n", ""),
    "gs_inside": GOOD.replace("TRN*1*T*1~\n", "GS*HP*S*R*20240101*1200*2*X*005010X221A1~\n"),
}


def _read(text: str, chunk: int, fast: bool, stop_after: int | None = None) -> dict[str, object]:
    log = IssueLog()
    reader = EnvelopeReader(text, log=log, chunk_size=chunk)
    out: list[object] = []
    for tx in reader.transactions():
        body: list[list[str]] = []
        locs: list[Location] = []
        if fast:
            for batch in tx.batches():
                for seg in batch:
                    body.append(seg)
                    locs.append(tx.location(loop="L", segment=seg))
                    if stop_after is not None and len(body) >= stop_after:
                        break
                else:
                    continue
                break
        else:
            for seg in tx:
                body.append(seg)
                locs.append(tx.location(loop="L"))
                if stop_after is not None and len(body) >= stop_after:
                    break
        tx.drain()
        out.append((tx.st, body, locs, tx.se, tx.segment_count, tx.location()))
    return {"tx": out, "issues": list(log.issues)}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_batches_equal_segment_by_segment(name: str, chunk: int) -> None:
    text = CASES[name]
    assert _read(text, chunk, fast=True) == _read(text, chunk, fast=False)


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_abandoned_batches_then_drain_keep_the_count(chunk: int) -> None:
    # Reading part of a body and moving on must not report a wrong SE01 count.
    fast = _read(GOOD, chunk, fast=True, stop_after=1)
    slow = _read(GOOD, chunk, fast=False, stop_after=1)
    assert fast["issues"] == [] and slow["issues"] == []
    assert [t[4] for t in fast["tx"]] == [5, 3]  # type: ignore[index,union-attr]


def test_batches_read_once() -> None:
    reader = EnvelopeReader(GOOD)
    tx = next(reader.transactions())
    list(tx.batches())
    with pytest.raises(X12Error):
        tx.batches()
    with pytest.raises(X12Error):
        iter(tx)


def test_batches_hold_no_envelope_segment() -> None:
    reader = EnvelopeReader(GOOD, chunk_size=16)
    for tx in reader.transactions():
        for batch in tx.batches():
            assert batch and not {s[0] for s in batch} & {"ISA", "GS", "ST", "SE", "GE", "IEA"}


@settings(max_examples=60, deadline=None)
@given(
    cut=st.integers(0, len(GOOD)),
    junk=st.sampled_from(["", "SE*", "ST*835*9~", "GE~", "XX*1~", "~~", "IEA*1~"]),
    chunk=st.sampled_from([5, 33, 4096]),
)
def test_batches_agree_on_damaged_input(cut: int, junk: str, chunk: int) -> None:
    text = GOOD[:cut] + junk + GOOD[cut:]
    try:
        slow = _read(text, chunk, fast=False)
    except X12Error as exc:
        with pytest.raises(type(exc)):
            _read(text, chunk, fast=True)
        return
    assert _read(text, chunk, fast=True) == slow


@pytest.mark.parametrize("path", corpus_files("835"), ids=lambda p: p.name)
def test_corpus_835_batches_equal_segment_by_segment(path: pathlib.Path) -> None:
    text = path.read_bytes().decode("latin-1")
    try:
        slow = _read(text, 256, fast=False)
    except X12Error:
        return
    assert _read(text, 256, fast=True) == slow


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_read_all_is_st_body_se(name: str, chunk: int) -> None:
    """read_all() (the 837 readers' and the validator's way in): ST, the body, then SE, or
    ``["SE"]`` when the set is not closed; same issues as reading segment by segment."""
    slow_log, fast_log = IssueLog(), IssueLog()
    expected = []
    for tx in EnvelopeReader(CASES[name], log=slow_log, chunk_size=chunk).transactions():
        body = list(tx)
        expected.append([tx.st, *body, tx.se if tx.se is not None else ["SE"]])
    got = [
        tx.read_all()
        for tx in EnvelopeReader(CASES[name], log=fast_log, chunk_size=chunk).transactions()
    ]
    assert got == expected
    assert fast_log.issues == slow_log.issues


def test_read_all_once() -> None:
    tx = next(EnvelopeReader(GOOD).transactions())
    assert [s[0] for s in tx.read_all()] == ["ST", "BPR", "TRN", "N1", "SE"]
    with pytest.raises(X12Error):
        tx.read_all()
