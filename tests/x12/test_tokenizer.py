"""Tokenizer: delimiters from the ISA, tolerated layouts, chunked feeding, encodings."""

from __future__ import annotations

import codecs

import pytest

from x12.delimiters import Delimiters, detect_delimiters, detect_isa
from x12.errors import IssueLog, X12EncodingError, X12Error, X12LimitError, X12SyntaxError
from x12.tokenizer import Tokenizer, iter_segment_batches, tokenize

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*240101*1200*^*00501*000000001*0*T*:~"
)
BODY = "GS*HC*S*R*20240101*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~BHT*0019~SE*3*0001~GE*1*1~IEA*1*000000001~"
TEXT = ISA + BODY
IDS = ["ISA", "GS", "ST", "BHT", "SE", "GE", "IEA"]


def ids(text: str | bytes, **kw: object) -> list[str]:
    return [s[0] for s in tokenize(text, **kw)]  # type: ignore[arg-type]


def test_isa_is_106_characters() -> None:
    assert len(ISA) == 106
    d, fixed = detect_isa(TEXT)
    assert fixed
    assert d == Delimiters("*", ":", "^", "~", "")


@pytest.mark.parametrize(
    "layout",
    [
        lambda t: t,
        lambda t: t.replace("~", "~\n"),
        lambda t: t.replace("~", "~\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.replace("~", "~\n    "),
        lambda t: t + "\x00" * 50,
        lambda t: t + "   \n\n",
        lambda t: "\n\n  " + t,
    ],
    ids=[
        "one-line",
        "LF",
        "CRLF",
        "BOM",
        "indented",
        "NUL-padding",
        "trailing-blanks",
        "leading-blanks",
    ],
)
def test_tolerated_layouts(layout) -> None:  # type: ignore[no-untyped-def]
    assert ids(layout(TEXT)) == IDS


def test_newline_as_terminator() -> None:
    text = TEXT.replace("~", "\n")
    d = detect_delimiters(text)
    assert d.segment == "\n"
    assert ids(text) == IDS


def test_terminator_at_start_of_next_line() -> None:
    # "...*:\n~GS*..." : the terminator opens each following line.
    text = TEXT.replace("~", "\n~")
    d = detect_delimiters(text)
    assert d.segment == "~"
    assert ids(text) == IDS


def test_unpadded_isa_counts_elements() -> None:
    text = TEXT.replace("SENDER         ", "SENDER").replace("          *00", " *00")
    d, fixed = detect_isa(text)
    assert not fixed
    assert (d.element, d.component, d.repetition, d.segment) == ("*", ":", "^", "~")
    log = IssueLog()
    assert [s[0] for s in tokenize(text, log=log)] == IDS
    assert [i.code for i in log] == ["ISA_NOT_FIXED_LENGTH"]
    with pytest.raises(X12SyntaxError) as exc:
        tokenize(text, log=IssueLog(strict=True))
    assert exc.value.location is not None and exc.value.location.segment_id == "ISA"


def test_4010_has_no_repetition_separator() -> None:
    text = TEXT.replace("*^*00501*", "*U*00401*")
    assert detect_delimiters(text).repetition is None


@pytest.mark.parametrize("size", [1, 2, 3, 7, 50, 105, 106, 107, 500])
def test_chunked_feed_gives_the_same_segments(size: int) -> None:
    text = TEXT.replace("~", "~\r\n") * 3
    whole = tokenize(text)
    tok = Tokenizer()
    got: list[list[str]] = []
    offsets: list[int] = []
    for i in range(0, len(text), size):
        got += tok.feed(text[i : i + size])
        offsets += list(tok.offsets)
    got += tok.close()
    offsets += list(tok.offsets)
    assert got == whole
    assert all(text.startswith(seg[0], off) for seg, off in zip(got, offsets, strict=True))


def test_streaming_holds_only_the_segment_in_progress() -> None:
    tok = Tokenizer(max_segment_length=1000)
    tok.feed(TEXT)
    with pytest.raises(X12LimitError) as exc:
        tok.feed("NM1*" + "A" * 5000)
    assert "max_segment_length" in str(exc.value)


def test_a_later_interchange_may_change_delimiters() -> None:
    other = TEXT.replace("*", "|").replace("~", "\n").replace("|:\n", "|>\n")
    segs = tokenize(TEXT + other + TEXT)
    assert [s[0] for s in segs] == IDS * 3
    assert segs[7][16] == ">"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("ascii", b""),
        ("utf-8", b""),
        ("utf-8-sig", b""),
        ("latin-1", b""),
        ("utf-16", b""),
        ("utf-16-le", b""),
    ],
)
def test_encodings(encoding: str, prefix: bytes) -> None:
    text = TEXT.replace("BHT*0019", "BHT*0019*MÜLLER" if encoding != "ascii" else "BHT*0019*MULLER")
    data = prefix + text.encode(encoding)
    segs = tokenize(data)
    assert segs[3][2] in ("MÜLLER", "MULLER")
    # Streaming in small chunks gives the same.
    import io

    streamed = [
        s for batch, _, _ in iter_segment_batches(io.BytesIO(data), chunk_size=5) for s in batch
    ]
    assert streamed == segs


def test_explicit_wrong_encoding_is_a_clear_error() -> None:
    data = TEXT.replace("BHT*0019", "BHT*0019*\xe9").encode("latin-1")
    with pytest.raises(X12EncodingError) as exc:
        tokenize(data, encoding="utf-8")
    assert "encoding=" in str(exc.value)
    assert codecs.lookup("latin-1")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello world", "ISA", "ISA*00", "ISA*00*" + "x" * 50, "\x00\x01\x02", "GS*HC*X~"],
)
def test_not_x12_raises_only_library_errors(text: str) -> None:
    try:
        tokenize(text)
    except X12SyntaxError as exc:
        assert exc.location is not None


_ISA_TEXT = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*240101*1200*^*00501*000000001*0*T*:~"
)


def test_a_second_isa_with_a_nul_component_separator_ends() -> None:
    """Found by tools/fuzz.py: the tokenizer restarted at the same ISA forever."""
    import threading

    box: list[object] = []

    def run() -> None:
        try:
            box.append(tokenize(_ISA_TEXT + _ISA_TEXT.replace("*:~", "*\x00~")))
        except X12Error as exc:
            box.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "tokenize() did not return on a 212-character input"
    assert box


def test_a_bad_later_isa_is_located_at_that_isa() -> None:
    with pytest.raises(X12Error) as exc:
        tokenize(_ISA_TEXT + _ISA_TEXT.replace("*:~", "*::~")[:-3])
    loc = exc.value.location
    assert loc is not None and loc.segment_index == 2 and loc.offset == len(_ISA_TEXT)
