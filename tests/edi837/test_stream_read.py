"""The 837 claim iterators stream (edi837.engine_read.stream_claims).

``iter_claims``, ``iter_institutional_claims`` and ``iter_dental_claims`` (and the
``load``/``loads`` functions built on them) read each subscriber level (2000B) as it closes
and let its segments go. What they give must be what the whole-tree reading (``read``,
``read_institutional``, ``read_dental``) gives: the same claims in the same order and the
same issues (in another order), on the corpus, on generated files and on damaged ones; their
memory must not grow with the file.
"""

from __future__ import annotations

import collections
import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _corpus import corpus_files
from _damage import damage, peak
from _generated import write_837
from edi837 import engine_read
from edi837.dental_reader import iter_dental_claims, read_dental
from edi837.institutional_reader import iter_institutional_claims, read_institutional
from edi837.reader import iter_claims, read
from x12.errors import IssueLog, X12Error

Reader = tuple[Callable[..., Iterator[Any]], Callable[..., Any]]
READERS: dict[str, Reader] = {
    "837P": (iter_claims, read),
    "837I": (iter_institutional_claims, read_institutional),
    "837D": (iter_dental_claims, read_dental),
}


_write = write_837


def _both(kind: str, data: str | bytes) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """(streamed claims, their issues, whole-tree claims, their issues); when the whole-tree
    reading refuses the input, the streamed one refuses it with the same error."""
    stream, whole = READERS[kind]
    log = IssueLog()
    try:
        result = whole(data)
    except X12Error as exc:
        with pytest.raises(type(exc)) as raised:
            list(stream(data, log=log))
        assert str(raised.value) == str(exc)
        return [], [], [], []
    streamed = list(stream(data, log=log))
    claims = [c for s in result.submissions for c in s.claims]
    return streamed, list(log.issues), claims, list(result.issues)


def _same_issues(a: list[Any], b: list[Any]) -> bool:
    return collections.Counter(map(repr, a)) == collections.Counter(map(repr, b))


@pytest.mark.parametrize("kind", sorted(READERS))
def test_generated_files_read_the_same(kind: str) -> None:
    text = _write(kind, 120, seed=21, every_loop=True)
    streamed, s_issues, whole, w_issues = _both(kind, text)
    assert len(streamed) == 120
    assert streamed == whole
    assert _same_issues(s_issues, w_issues)


CORPUS = [p for p in corpus_files() if p.parent.name in ("837p", "837i", "837d", "other")]


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("kind", sorted(READERS))
def test_corpus_files_read_the_same(kind: str) -> None:
    compared = 0
    for path in CORPUS:
        data = path.read_bytes()
        if b"837" not in data:
            continue
        streamed, s_issues, whole, w_issues = _both(kind, data)
        assert streamed == whole, path.name
        assert _same_issues(s_issues, w_issues), path.name
        compared += bool(whole)
    assert compared >= (1 if kind == "837D" else 5)  # files of this guide with claims


BASE = {kind: _write(kind, 5, seed=5, every_loop=kind == "837I").split("~") for kind in READERS}


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(sorted(READERS)),
    edits=st.lists(
        st.tuples(st.sampled_from(["drop", "copy", "swap", "hl02"]), st.integers(), st.integers()),
        min_size=1,
        max_size=3,
    ),
)
def test_damaged_files_read_the_same(kind: str, edits: list[tuple[str, int, int]]) -> None:
    segs = list(BASE[kind])
    head, body, tail = segs[:3], damage(segs[3:-3], edits), segs[-3:]  # ISA GS ST ... SE GE IEA
    text = "~".join(head + body + tail)
    streamed, s_issues, whole, w_issues = _both(kind, text)
    assert _same_issues(s_issues, w_issues)
    if [s for s in body if s.startswith("HL*")] == [s for s in BASE[kind][3:-3] if s[:3] == "HL*"]:
        assert streamed == whole
    else:  # an HL that returns to an earlier level: the claims, in closing order
        assert sorted(map(repr, streamed)) == sorted(map(repr, whole))


@pytest.mark.parametrize("kind", sorted(READERS))
def test_memory_does_not_grow_with_the_file(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # what a stream keeps besides the open loops is bounded by STREAM_MAX_HL (the HL levels
    # it can return to, and the parties of the subscriber levels among them): made small
    # here so that both files reach the bound
    monkeypatch.setattr(engine_read, "STREAM_MAX_HL", 8)
    stream, whole = READERS[kind]
    small, large = _write(kind, 150, seed=1), _write(kind, 600, seed=1)

    def count(text: str) -> Callable[[], object]:
        return lambda: sum(1 for _ in stream(text))

    small_peak, large_peak = peak(count(small)), peak(count(large))
    # four times the claims: the streamed peak stays (one batch, the open loops)...
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    # ...where a whole-tree read holds them all
    assert peak(lambda: whole(large)) > 3 * large_peak


def test_the_collector_runs_while_the_caller_holds_a_claim() -> None:
    text = _write("837P", 300, seed=2)
    states = [gc.isenabled() for _ in iter_claims(text)]
    assert len(states) == 300 and all(states)


def test_a_billing_level_named_by_every_subscriber_stays_reachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the HL levels remembered are the most recently used: the billing provider named by
    # each subscriber level (HL02) is never the one forgotten, with a bound as small as the
    # hierarchy is deep (billing, subscriber, patient)
    monkeypatch.setattr(engine_read, "STREAM_MAX_HL", 3)
    text = _write("837P", 40, seed=3)
    log = IssueLog()
    claims = list(iter_claims(text, log=log))
    assert len(claims) == 40
    assert "HL_PARENT_NOT_FOUND" not in [i.code for i in log.issues]
    assert claims == read(text).claims


RETURNING = """
ST*837*1*005010X222A1~BHT*0019*00*1*20200101*1200*CH~NM1*41*2*S*****46*1~PER*IC*X*TE*1~
NM1*40*2*R*****46*2~
HL*1**20*1~NM1*85*2*B*****XX*1234567893~N3*A~N4*C*ST*12345~REF*EI*123456789~
HL*2*1*22*1~SBR*P********CI~NM1*PR*2*P*****PI*1~
HL*3**20*1~
HL*4*2*23*0~PAT*19~NM1*QC*1*KID~
CLM*1*10***11:B:1*Y*A*Y*Y~HI*ABK:R51~LX*1~SV1*HC:99213*10*UN*1***1~DTP*472*D8*20200101~
HL*5*1*22*0~SBR*P*18*******CI~NM1*IL*1*E****MI*2~NM1*PR*2*P*****PI*1~
CLM*2*10***11:B:1*Y*A*Y*Y~HI*ABK:R51~LX*1~SV1*HC:99213*10*UN*1***1~DTP*472*D8*20200101~
SE*32*1~
"""


def test_levels_returned_to_by_a_later_hl() -> None:
    # HL 3 is a billing level with nothing in it (its issues must still be reported); HL 4
    # (a patient) and HL 5 (a subscriber) return to levels opened before it (HL 2, HL 1).
    # HL 2 lacks its subscriber name: reported once, though its level is read twice.
    text = "ISA*00*          *00*          *ZZ*S              *ZZ*R              *200101*1200*^*00501*000000001*0*T*:~GS*HC*S*R*20200101*1200*1*X*005010X222A1~"
    text += RETURNING.replace("\n", "") + "GE*1*1~IEA*1*000000001~"
    streamed, s_issues, whole, w_issues = _both("837P", text)
    assert [c.id for c in whole] == ["1", "2"]
    assert streamed == whole
    assert _same_issues(s_issues, w_issues)
    codes = [i.code for i in w_issues]
    assert codes.count("MISSING_NAME") == 2  # billing level HL 3, subscriber level HL 2
    assert streamed[0].patient is not None and streamed[0].patient.last_name == "KID"
