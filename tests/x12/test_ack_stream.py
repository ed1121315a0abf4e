"""acknowledge() reads its input as a stream (x12.ack._read_for_ack): of each transaction it
keeps only the segments a 999 may name. Its 999s must be those made from whole transactions
(x12.envelope.read_interchanges, as it read before), and answering a large file must not hold
it."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edi835
import edi837
from _corpus import corpus_files
from _damage import damage, peak
from edi837 import fake
from x12 import ack
from x12.envelope import read_interchanges
from x12.errors import Issue, IssueLog, X12Error

TODAY = dt.date(2026, 1, 1)
WHEN = dt.datetime(2024, 5, 1, 10, 0)
PARTIES: dict[str, Any] = {"submitter": fake.submitter(), "receiver": fake.receiver()}


def _whole_999(data: str | bytes, findings: Sequence[Issue], **kwargs: Any) -> str:
    """The 999 made from whole transactions: what acknowledge() did before it streamed."""
    log = IssueLog(strict=False)
    interchanges = read_interchanges(data, log=log)
    everything = list(log.issues) + list(findings)
    acks = []
    isa = None
    for ic in interchanges:
        isa = isa or ic.header
        for grp in ic.groups:
            gs06 = grp.header.control_number
            if grp.header.functional_id not in ack.AK101_CODES or not (
                gs06.isascii() and gs06.isdigit() and len(gs06) <= 9
            ):
                continue
            mine = [
                f
                for f in everything
                if ack._in_group(
                    f, grp.header, [ack.TransactionRef.of(t) for t in grp.transactions]
                )
            ]
            acks.append(
                ack.acknowledge_group(
                    mine,
                    for_group=grp.header,
                    transactions=grp.transactions,
                    included=ack._included(grp.trailer),
                    **kwargs,
                )
            )
    if not acks:
        raise X12Error("nothing to acknowledge: the input has no functional group")
    return ack.write_999(acks, ack._reply_options(isa, None), None)


def _both(data: str | bytes, **kwargs: Any) -> tuple[str, str]:
    validate = edi837.validate if b"ST*837" in _bytes(data) else edi835.validate
    findings = list(validate(data, today=TODAY).findings)
    try:
        whole = _whole_999(data, findings, **kwargs)
    except X12Error as exc:
        with pytest.raises(X12Error, match=re.escape(str(exc))):
            ack.acknowledge(data, findings, **kwargs)
        return "", ""
    return ack.acknowledge(data, findings, **kwargs), whole


def _bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("latin-1")


def _body(text: str) -> str:
    """The 999 without ISA and GS, whose date and time are those of the moment it is made."""
    return "~".join(s for s in text.split("~") if not s.startswith(("ISA", "GS")))


CORPUS = corpus_files()


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("show_values", [False, True])
def test_corpus_answers_as_from_whole_transactions(show_values: bool) -> None:
    answered = 0
    for path in CORPUS:
        streamed, whole = _both(path.read_bytes(), show_values=show_values)
        assert _body(streamed) == _body(whole), path.name
        answered += bool(whole)
    assert answered > 50


BASE = edi837.dumps(fake.generate(6, seed=3), timestamp=WHEN, **PARTIES).split("~")


@settings(max_examples=120, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(["drop", "copy", "swap", "value"]), st.integers(), st.integers()),
        min_size=1,
        max_size=3,
    ),
    include_warnings=st.booleans(),
)
def test_damaged_files_answer_as_from_whole_transactions(
    edits: list[tuple[str, int, int]], include_warnings: bool
) -> None:
    # damage anywhere from ST to IEA: a lost SE, a CLM out of place, a bad value...
    head, body = BASE[:2], damage(BASE[2:-1], edits, ("", "X", "99", "20991231"))
    text = "~".join(head + body) + "~"
    streamed, whole = _both(text, include_warnings=include_warnings, show_values=True)
    assert _body(streamed) == _body(whole)


def test_a_999_for_a_large_file_does_not_hold_it(tmp_path: pathlib.Path) -> None:
    small, large = tmp_path / "small.837", tmp_path / "large.837"
    small.write_text(edi837.dumps(fake.generate(150, seed=1), timestamp=WHEN, **PARTIES))
    large.write_text(edi837.dumps(fake.generate(1200, seed=1), timestamp=WHEN, **PARTIES))
    small_report = edi837.validate(small, today=TODAY)
    large_report = edi837.validate(large, today=TODAY)
    assert large_report.ok
    large_report.to_999()  # the guide's tables and the writer, warmed once
    small_peak = peak(small_report.to_999)
    large_peak = peak(large_report.to_999)
    size = large.stat().st_size
    # eight times the claims; the peak moves by far less than the file's size
    assert large_peak - small_peak < size / 4, (small_peak, large_peak, size)
    assert "AK9*A*1*1*1" in large_report.to_999()
