"""The tokenizer's split on "terminator + line break" gives exactly what a split on the
terminator and a strip of each piece gives: segments, offsets, issues, whatever the layout
(LF, CRLF, CR, none, mixed, indented, cut anywhere by the chunking, ending with or without a
line break, several interchanges)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from x12.errors import IssueLog, X12Error
from x12.tokenizer import Tokenizer, tokenize

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*240101*1200*^*00501*000000001*0*T*:~"
)
BODY = [
    "GS*HP*S*R*20240101*1200*1*X*005010X221A1",
    "ST*835*0001*005010X221A1",
    "BPR*I*1*C*CHK",
    "N1*PR*ACME ISA PLAN",
    "REF*EV*ISA",
    "CLP*A1*1*10*5",
    "CAS*CO*45*5",
    "SE*7*0001",
    "GE*1*1",
    "IEA*1*000000001",
]
STRIP = " \t\r\n\x00"


def _reference(segments: list[str]) -> list[list[str]]:
    return [s.strip(STRIP).split("*") for s in segments if s.strip(STRIP)]


def _feed(text: str, chunk: int) -> tuple[list[list[str]], list[int], list[object]]:
    log = IssueLog()
    tok = Tokenizer(log=log)
    segs: list[list[str]] = []
    offsets: list[int] = []
    for i in range(0, len(text), chunk):
        got = tok.feed(text[i : i + chunk])
        offsets.extend(tok.offsets[j] for j in range(len(got)))
        segs.extend(got)
    got = tok.close()
    offsets.extend(tok.offsets[j] for j in range(len(got)))
    segs.extend(got)
    return segs, offsets, list(log.issues)


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A text and its segments, each followed by a terminator and a drawn line break."""
    breaks = st.sampled_from(["", "\n", "\r\n", "\r", "\n  ", " \n", "\n\n"])
    uniform = draw(st.booleans())
    first = draw(breaks)
    segments = [ISA[:-1], *BODY]
    parts = []
    for seg in segments:
        lb = first if uniform else draw(breaks)
        parts.append(seg + "~" + lb)
    text = "".join(parts)
    if draw(st.booleans()):
        text = text.rstrip("\r\n ")  # the input's last terminator with no line break after it
    return text, segments


@settings(max_examples=150, deadline=None)
@given(layouts(), st.sampled_from([1, 3, 17, 64, 107, 1 << 20]))
def test_any_layout_any_chunking(case: tuple[str, list[str]], chunk: int) -> None:
    text, segments = case
    segs, offsets, issues = _feed(text, chunk)
    assert segs == _reference(segments)
    assert issues == []
    for seg, at in zip(segs, offsets, strict=True):
        assert text.startswith(seg[0] + "*", at)


@pytest.mark.parametrize("lb", ["\n", "\r\n"])
def test_a_second_interchange_with_other_delimiters(lb: str) -> None:
    one = "".join(s + "~" + lb for s in [ISA[:-1], *BODY])
    other = one.replace("*", "|").replace("~", "!").replace("|:!", "|>!")
    text = one + other
    for chunk in (5, 100, 1 << 20):
        segs, offsets, issues = _feed(text, chunk)
        assert [s[0] for s in segs] == ["ISA", *[b.split("*")[0] for b in BODY]] * 2
        assert segs[len(BODY) + 1][16] == ">" and segs[len(BODY) + 2][0] == "GS"
        assert all(text.startswith(seg[0], at) for seg, at in zip(segs, offsets, strict=True))
        assert issues == []


def test_unterminated_last_segment_still_reported() -> None:
    text = "~\n".join([ISA[:-1], *BODY])
    log = IssueLog()
    segs = tokenize(text, log=log)
    assert segs[-1] == ["IEA", "1", "000000001"]
    assert [i.code for i in log.issues] == ["UNTERMINATED_SEGMENT"]


def test_segment_too_long_still_found() -> None:
    text = "~\n".join([ISA[:-1], *BODY[:3], "N1*PR*" + "A" * 300, *BODY[3:]]) + "~\n"
    with pytest.raises(X12Error) as exc:
        tokenize(text, max_segment_length=200)
    assert exc.value.location is not None and exc.value.location.segment_index == 5
