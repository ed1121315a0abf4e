"""x12.validate: element checks against guide tables (table-driven), the report, the
never-raises promise and the acknowledgments it writes (judged by pyx12)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edi835.guide_x221a1 import GUIDE as G835
from edi837.guide_x222a1 import GUIDE as G837P
from x12.errors import Issue, Location, Severity
from x12.pyx12_check import pyx12_available, validate_with_pyx12
from x12.validate import (
    ValidationReport,
    check_segment,
    segment_spec,
    snip_level,
    validate,
)


def _codes(loop: str, raw: str, guide=G837P) -> list[tuple[str, int, int | None]]:  # type: ignore[no-untyped-def]
    seg = raw.split("*")
    spec = segment_spec(guide.loop(loop), seg, ":")
    assert spec is not None, raw
    return [(code, pos, comp) for code, pos, comp, _ in check_segment(spec, seg, ":", "^")]


@pytest.mark.parametrize(
    ("loop", "raw", "expected"),
    [
        # clean segments: nothing to say
        ("2300", "CLM*A1*100***11:B:1*Y*A*Y*Y", []),
        ("2400", "SV1*HC:99213*100*UN*1***1", []),
        ("2300", "DTP*431*D8*20240101", []),
        # required element missing (CLM02), component missing (CLM05-3)
        ("2300", "CLM*A1****11:B:1*Y*A*Y*Y", [("REQUIRED_DATA_ELEMENT_MISSING", 2, None)]),
        ("2300", "CLM*A1*100***11:B*Y*A*Y*Y", [("REQUIRED_DATA_ELEMENT_MISSING", 5, 3)]),
        # code value (CLM07 assignment) and component code (CLM05-2)
        ("2300", "CLM*A1*100***11:B:1*Y*Q*Y*Y", [("INVALID_CODE_VALUE", 7, None)]),
        ("2300", "CLM*A1*100***11:X:1*Y*A*Y*Y", [("INVALID_CODE_VALUE", 5, 2)]),
        # numbers, lengths, dates and times
        ("2300", "CLM*A1*1O0***11:B:1*Y*A*Y*Y", [("INVALID_CHARACTER_DATA", 2, None)]),
        ("2300", "CLM*" + "A" * 39 + "*100***11:B:1*Y*A*Y*Y", [("DATA_ELEMENT_TOO_LONG", 1, None)]),
        ("2300", "DTP*431*D8*20240231", [("INVALID_DATE", 3, None)]),
        ("2400", "SV1*HC:99213*100*UN*1*11**1:2:3:4:5", [("TOO_MANY_COMPONENTS", 7, 5)]),
        # not used element present (CLM03 is not used in 837P)
        ("2300", "CLM*A1*100*X**11:B:1*Y*A*Y*Y", [("NOT_USED_ELEMENT_PRESENT", 3, None)]),
        # too many elements
        ("2300", "DTP*431*D8*20240101*X", [("TOO_MANY_DATA_ELEMENTS", 4, None)]),
    ],
)
def test_element_checks(loop: str, raw: str, expected: list[tuple[str, int, int | None]]) -> None:
    assert _codes(loop, raw) == expected


def test_syntax_notes_of_the_base_standard() -> None:
    # N4: C0605 (N406 requires N405); NM1: P0809 (NM108 and NM109 in pairs).
    got = _codes("2010AA", "NM1*85*2*CLINIC*****XX")
    assert ("CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING", 9, None) in got


def test_qualifier_picks_the_right_segment_spec() -> None:
    loop = G837P.loop("2300")
    onset = segment_spec(loop, ["DTP", "431", "D8", "20240101"], ":")
    accident = segment_spec(loop, ["DTP", "439", "D8", "20240101"], ":")
    assert onset is not None and accident is not None and onset is not accident
    assert segment_spec(loop, ["ZZZ"], ":") is None


def test_messages_never_carry_values() -> None:
    seg = ["CLM", "SECRETNAME", "ABC", "", "", "11:B:1", "Y", "Q", "Y", "Y"]
    spec = segment_spec(G837P.loop("2300"), seg, ":")
    assert spec is not None
    for _, _, _, message in check_segment(spec, seg, ":", "^"):
        assert "SECRETNAME" not in message and "ABC" not in message


def test_snip_levels() -> None:
    assert snip_level(Issue(Severity.ERROR, "SE01_COUNT", "m")) == 1
    assert snip_level(Issue(Severity.ERROR, "INVALID_CODE_VALUE", "m")) == 2
    assert snip_level(Issue(Severity.ERROR, "X", "m", kind="snip4")) == 4


@pytest.mark.parametrize(
    "data", [b"", b"   \n", b"\xff\xfe\x00garbage", b"hello world", b"ISA*00*"]
)
def test_unreadable_input_is_a_finding_not_an_exception(data: bytes) -> None:
    report = validate(data, guides={G837P.id: G837P})
    assert not report.readable and report.exit_code() == 2
    assert report.errors and all(f.location is not None for f in report.errors)


def _ts(n: int) -> str:
    from x12.envelope import GroupSpec, InterchangeOptions, TransactionSpec, write_interchange

    body = [
        ("BPR", ["I", "0", "C", "NON", "", "", "", "", "", "", "", "", "", "", "", "20240101"]),
        ("TRN", ["1", "12345", "1512345678"]),
    ]
    return write_interchange(
        [GroupSpec("HP", "005010X221A1", [TransactionSpec("835", "005010X221A1", body)] * n)],
        InterchangeOptions(
            sender_id="PAYER", receiver_id="PAYEE", timestamp=dt.datetime(2024, 1, 2, 3, 4)
        ),
    )


def test_report_api() -> None:
    report = validate(_ts(2), guides={G835.id: G835})
    assert report.readable and report.transactions == 2
    assert report.errors  # the payer/payee loops are missing
    assert report.exit_code() == 1 and not report.ok
    data = report.to_dict()
    assert data["errors"] == len(report.errors)
    assert all("snip" in f and "location" in f for f in data["findings"])
    assert sum(report.by_snip().values()) == len(report.errors)
    extra = Issue(Severity.ERROR, "X", "extra", Location(5, "TRN"), "snip4")
    merged = report.with_findings([extra])
    assert len(merged.findings) == len(report.findings) + 1
    assert merged.by_snip().get(4) == 1
    assert "NOT valid" in str(report)


def test_unknown_implementation_and_transaction() -> None:
    report = validate(_ts(1), guides={})
    assert [f.code for f in report.errors] == ["UNSUPPORTED_IMPLEMENTATION"]
    report = validate(_ts(1), guides={G835.id: G835}, transaction_ids=("837",))
    assert [f.code for f in report.errors] == ["UNSUPPORTED_TRANSACTION"]


@pytest.mark.skipif(not pyx12_available(), reason="pyx12 not installed")
def test_999_of_a_rejected_file_passes_pyx12_and_rejects() -> None:
    report = validate(_ts(1), guides={G835.id: G835})
    ack = report.to_999()
    judged = validate_with_pyx12(ack)
    assert judged.passed, str(judged)
    assert "IK5*R" in ack and "AK9*R" in ack


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ISAGST*~:^01235CLMHL \n", max_size=300))
def test_never_raises(text: str) -> None:
    report = validate(text, guides={G837P.id: G837P})
    assert isinstance(report, ValidationReport)


@pytest.mark.parametrize(
    ("loop", "raw"), [("2300", "DTP*431*D8*2024010²"), ("2400", "DTP*472*RD8*20240101-2024010²")]
)
def test_non_ascii_digits_are_not_digits(loop: str, raw: str) -> None:
    """Found by tools/fuzz.py: '²' passes str.isdigit() and int() refuses it."""
    assert [c for c, _, _ in _codes(loop, raw)] == ["INVALID_DATE"]


def test_envelope_is_checked_without_a_guide_for_the_transaction() -> None:
    """SNIP 1 does not depend on the transaction: an interchange dated 13/99 is reported
    even when no guide table exists for its transaction (UNSUPPORTED_IMPLEMENTATION)."""
    from x12.envelope import GroupSpec, InterchangeOptions, TransactionSpec, write_interchange
    from x12.validate import validate

    text = write_interchange(
        [GroupSpec("HB", "005010X279A1", [TransactionSpec("271", "005010X279A1", [])])],
        InterchangeOptions("SENDER", "RECEIVER", timestamp=dt.datetime(2024, 5, 6, 7, 0)),
    )
    assert "*240506*0700*" in text
    report = validate(text.replace("*240506*0700*", "*991399*0700*", 1), guides={})
    codes = {f.code for f in report.findings}
    assert {"ISA09_INVALID", "UNSUPPORTED_IMPLEMENTATION"} <= codes
    assert "ISA12_INVALID" not in codes
