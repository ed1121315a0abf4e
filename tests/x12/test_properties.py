"""Hypothesis properties of the syntax layer.

- write-then-read is the identity for any legal delimiter set;
- counts and control numbers are always consistent on write;
- any text (or bytes) given to the readers raises only the library's errors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from x12.delimiters import Delimiters
from x12.envelope import (
    EnvelopeReader,
    GroupSpec,
    InterchangeOptions,
    SequentialControlNumbers,
    TransactionSpec,
    read_interchanges,
    write_interchange,
)
from x12.errors import IssueLog, X12Error
from x12.tokenizer import Tokenizer, tokenize

SPECIALS = "*:^~|>!`{}[]<#$%&+,;=?@\\/'\""


@st.composite
def delimiter_sets(draw: st.DrawFn) -> Delimiters:
    chars = draw(st.lists(st.sampled_from(SPECIALS), min_size=4, max_size=4, unique=True))
    line_break = draw(st.sampled_from(["", "\n", "\r\n"]))
    no_rep = draw(st.booleans())
    return Delimiters(chars[0], chars[1], None if no_rep else chars[2], chars[3], line_break)


VALUE_CHARS = string.ascii_uppercase + string.digits + " .-/&'#()@" + "*:^~|>!"


def values(d: Delimiters) -> st.SearchStrategy[str]:
    safe = "".join(c for c in VALUE_CHARS if c not in d.characters)
    return st.text(alphabet=safe, min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def interchanges(draw: st.DrawFn) -> tuple[Delimiters, list[list[tuple[str, list[str]]]]]:
    d = draw(delimiter_sets())
    seg_ids = st.sampled_from(["BHT", "NM1", "N3", "N4", "REF", "DTP", "CLM", "SV1", "LX"])
    segment = st.tuples(seg_ids, st.lists(values(d), min_size=1, max_size=6))
    txs = draw(st.lists(st.lists(segment, min_size=1, max_size=8), min_size=1, max_size=3))
    return d, [[(sid, list(els)) for sid, els in tx] for tx in txs]


WHEN = dt.datetime(2024, 5, 6, 7, 8)


@settings(max_examples=150, deadline=None)
@given(interchanges(), st.integers(0, 999_999_990))
def test_write_then_read_is_identity(data, start: int) -> None:  # type: ignore[no-untyped-def]
    d, txs = data
    specs = [TransactionSpec("837", "005010X222A1", tx) for tx in txs]
    text = write_interchange(
        [GroupSpec("HC", "005010X222A1", specs)],
        InterchangeOptions(timestamp=WHEN, delimiters=d),
        SequentialControlNumbers(start, start % 1000 + 1, 1),
    )
    log = IssueLog(strict=True)  # counts and control numbers must be consistent
    ics = read_interchanges(text, log=log)
    got = [[(s[0], s[1:]) for s in t.segments[1:-1]] for t in ics[0].transactions]
    assert got == [[(sid, els) for sid, els in tx] for tx in txs]
    header = ics[0].header
    assert header is not None
    assert (header.element_separator, header.component_separator) == (d.element, d.component)
    assert header.repetition_separator == d.repetition
    assert int(header.control_number) == start


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400) | st.binary(max_size=400).map(lambda b: b.decode("latin-1")))
def test_any_text_raises_only_library_errors(text: str) -> None:
    for source in (text, "ISA*00*" + text, text.encode("utf-8", "surrogatepass")):
        try:
            reader = EnvelopeReader(source)
            for tx in reader.transactions():
                for _ in tx:
                    pass
        except X12Error as exc:
            assert str(exc)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_interchange_raises_only_library_errors(data: st.DataObject) -> None:
    d, txs = data.draw(interchanges())
    text = write_interchange(
        [GroupSpec("HC", "005010X222A1", [TransactionSpec("837", None, tx) for tx in txs])],
        InterchangeOptions(timestamp=WHEN, delimiters=d),
    )
    pos = data.draw(st.integers(0, len(text)))
    how = data.draw(st.sampled_from(["truncate", "delete", "insert", "swap"]))
    if how == "truncate":
        text = text[:pos]
    elif how == "delete":
        text = text[:pos] + text[pos + 1 :]
    elif how == "insert":
        text = (
            text[:pos]
            + data.draw(st.sampled_from([*list(SPECIALS), "\n", "\x00", "ISA"]))
            + text[pos:]
        )
    else:
        text = text.replace(d.element, d.segment, 1)
    for strict in (False, True):
        with contextlib.suppress(X12Error):
            read_interchanges(text, strict=strict)


@settings(max_examples=100, deadline=None)
@given(interchanges(), st.lists(st.integers(1, 64), min_size=1, max_size=20))
def test_chunking_never_changes_segments(data, sizes: list[int]) -> None:  # type: ignore[no-untyped-def]
    d, txs = data
    text = write_interchange(
        [GroupSpec("HC", "005010X222A1", [TransactionSpec("837", None, tx) for tx in txs])],
        InterchangeOptions(timestamp=WHEN, delimiters=d),
    )
    tok = Tokenizer()
    got: list[list[str]] = []
    pos = 0
    i = 0
    while pos < len(text):
        n = sizes[i % len(sizes)]
        got += tok.feed(text[pos : pos + n])
        pos += n
        i += 1
    got += tok.close()
    assert got == tokenize(text)
