"""Envelopes: counts and control numbers checked on read (located), computed on write."""

from __future__ import annotations

import datetime as dt

import pytest

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
from x12.errors import IssueLog, Severity, X12StructureError, X12WriteError
from x12.tokenizer import tokenize

WHEN = dt.datetime(2024, 1, 2, 3, 4)


def sample(**kw: object) -> str:
    tx = TransactionSpec(
        "837", "005010X222A1", [("BHT", ["0019", "00", "1"]), ("NM1", ["41", "2", "ACME"])]
    )
    opts = InterchangeOptions(sender_id="SUBMITTER", receiver_id="PAYER", timestamp=WHEN, **kw)  # type: ignore[arg-type]
    return write_interchange(
        [GroupSpec("HC", "005010X222A1", [tx, tx])], opts, SequentialControlNumbers(7, 8, 9)
    )


def test_written_counts_and_control_numbers() -> None:
    text = sample()
    segs = tokenize(text)
    assert len(text.split("~")[0]) + 1 == 106
    by_id = {s[0]: s for s in segs}
    assert by_id["ISA"][13] == "000000007"
    assert by_id["IEA"] == ["IEA", "1", "000000007"]
    assert by_id["GS"][6] == "8" and by_id["GE"] == ["GE", "2", "8"]
    sts = [s for s in segs if s[0] == "ST"]
    ses = [s for s in segs if s[0] == "SE"]
    assert [s[2] for s in sts] == ["0009", "0010"]
    assert ses == [["SE", "4", "0009"], ["SE", "4", "0010"]]
    log = IssueLog(strict=True)
    ics = read_interchanges(text, log=log)
    assert len(ics) == 1 and len(ics[0].transactions) == 2
    assert ics[0].header is not None and ics[0].header.sender_id == "SUBMITTER"


def test_other_delimiters_and_line_breaks() -> None:
    d = Delimiters("|", ">", "!", "\n", "")
    text = sample(delimiters=d)
    assert text.count("\n") == 12
    assert read_interchanges(text, log=IssueLog(strict=True))[0].transactions[0].segments[1] == [
        "BHT",
        "0019",
        "00",
        "1",
    ]


@pytest.mark.parametrize(
    ("mutate", "code", "seg_id"),
    [
        (lambda t: t.replace("SE*4*0009", "SE*5*0009"), "SE01_COUNT", "SE"),
        (lambda t: t.replace("SE*4*0009", "SE*4*0001"), "SE02_CONTROL_NUMBER", "SE"),
        (lambda t: t.replace("GE*2*8", "GE*3*8"), "GE01_COUNT", "GE"),
        (lambda t: t.replace("GE*2*8", "GE*2*9"), "GE02_CONTROL_NUMBER", "GE"),
        (lambda t: t.replace("IEA*1*000000007", "IEA*2*000000007"), "IEA01_COUNT", "IEA"),
        (lambda t: t.replace("IEA*1*000000007", "IEA*1*000000008"), "IEA02_CONTROL_NUMBER", "IEA"),
    ],
)
def test_trailer_mismatches_are_located(mutate, code: str, seg_id: str) -> None:  # type: ignore[no-untyped-def]
    text = mutate(sample())
    log = IssueLog(strict=False)
    read_interchanges(text, log=log)
    assert [i.code for i in log] == [code]
    issue = log.issues[0]
    assert issue.severity is Severity.WARNING  # a deviation: lenient reading goes on
    assert issue.location is not None and issue.location.segment_id == seg_id
    assert issue.location.segment_index is not None and issue.location.offset is not None
    assert text.startswith(seg_id, issue.location.offset)
    with pytest.raises(X12StructureError) as exc:
        read_interchanges(text, strict=True)
    assert exc.value.code == code
    assert str(exc.value).startswith(f"segment {issue.location.segment_index} ({seg_id})")


def test_missing_trailers() -> None:
    text = sample()
    cut = text[: text.index("GE*")]
    log = IssueLog()
    ics = read_interchanges(cut, log=log)
    assert [i.code for i in log] == ["MISSING_GE", "MISSING_IEA"]
    assert len(ics[0].transactions) == 2
    cut = text[: text.index("SE*4*0010")]
    log = IssueLog()
    read_interchanges(cut, log=log)
    assert next(i.code for i in log) == "MISSING_SE"


def test_streaming_transactions_read_once() -> None:
    reader = EnvelopeReader(sample())
    bodies = []
    for tx in reader.transactions():
        bodies.append([s[0] for s in tx])
        assert tx.se is not None and tx.segment_count == 4
    assert bodies == [["BHT", "NM1"], ["BHT", "NM1"]]


def test_unread_transactions_are_skipped() -> None:
    reader = EnvelopeReader(sample())
    assert [tx.control_number for tx in reader.transactions()] == ["0009", "0010"]
    assert reader.log.issues == []


def test_writer_refuses_delimiters_in_values_with_paths() -> None:
    tx = TransactionSpec("837", "005010X222A1", [("NM1", ["IL", "1", "O*NEIL~"]), ("N3", ["A:B"])])
    with pytest.raises(X12WriteError) as exc:
        write_interchange(
            [GroupSpec("HC", "005010X222A1", [tx])], InterchangeOptions(timestamp=WHEN)
        )
    paths = [p for p, _ in exc.value.problems]
    assert paths == [
        "groups[0].transactions[0].segments[0] (NM103)",
        "groups[0].transactions[0].segments[1] (N301)",
    ]
    assert "O*NEIL" not in str(exc.value)  # no patient data in messages


def test_writer_refuses_overlong_isa_fields() -> None:
    with pytest.raises(X12WriteError) as exc:
        write_interchange([], InterchangeOptions(sender_id="X" * 16, timestamp=WHEN))
    assert exc.value.problems[0][0] == "options.sender_id"


def test_ta1_at_interchange_level_is_accepted() -> None:
    text = sample()
    gs = text.index("GS*")
    text = text[:gs] + "TA1*000000001*240101*1200*A*000~" + text[gs:]
    reader = EnvelopeReader(text)
    assert len(list(reader.transactions())) == 2
    assert reader.log.issues == []
    assert reader.interchange_acks == [["TA1", "000000001", "240101", "1200", "A", "000"]]


def test_trailers_are_read_and_held_only_when_asked() -> None:
    """read_interchanges gives each interchange its IEA and each group its GE (``trailer``;
    None when missing); the streaming reader records them only when given a ``trailers``
    dict."""
    one = sample()
    two = one.replace("IEA*1*", "").rsplit("~", 2)[0]  # ISA..GE of the first group
    gs2 = sample().split("GS*", 1)[1].replace("*8*", "*9*", 1).replace("GE*2*8", "GE*5*9")
    text = two + "~GS*" + gs2.replace("IEA*1*", "IEA*2*")
    (ic,) = read_interchanges(text, log=IssueLog())
    assert [g.trailer for g in ic.groups] == [["GE", "2", "8"], ["GE", "5", "9"]]
    assert ic.trailer == ["IEA", "2", "000000007"]
    reader = EnvelopeReader(text, log=IssueLog())
    for tx in reader.transactions():
        list(tx)
    assert reader.trailers is None  # a stream of many groups holds none of them
    kept: dict[int, list[str]] = {}
    reader = EnvelopeReader(text, log=IssueLog(), trailers=kept)
    for tx in reader.transactions():
        list(tx)
    assert sorted(kept.values()) == [["GE", "2", "8"], ["GE", "5", "9"], ["IEA", "2", "000000007"]]
    assert kept[ic.groups[1].header.index] == ["GE", "5", "9"]
    missing = one.replace("GE*2*8~", "").replace("IEA*1*000000007~", "")
    (ic,) = read_interchanges(missing, log=IssueLog())
    assert ic.groups[0].trailer is None and ic.trailer is None
    (a, b) = read_interchanges(one + one.replace("000000007", "000000017"), log=IssueLog())
    assert (a.trailer, b.trailer) == (["IEA", "1", "000000007"], ["IEA", "1", "000000017"])
