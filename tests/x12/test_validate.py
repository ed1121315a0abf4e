"""x12.validate, SNIP 1 on the envelope's elements (ISA / GS values: codes, dates, times,
control number shapes, GS01 against the transaction set) and what the 999 / TA1 say about a
report: the 999 rejects exactly what the report calls an error."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import pathlib
import re
from collections.abc import Callable

import pytest

import edi837
from _corpus import CORPUS
from edi837 import fake
from edi837.validation import validate
from x12.pyx12_check import pyx12_available, validate_with_pyx12
from x12.validate import envelope_code, snip_level

TODAY = dt.date(2025, 1, 1)
STAMP = dt.datetime(2024, 5, 1, 10, 0)


def _text() -> str:
    claims = fake.generate(2, seed=5)
    return edi837.dumps(
        claims, submitter=fake.submitter(), receiver=fake.receiver(), timestamp=STAMP
    )


GOOD = _text()


def _isa(position: int, value: str) -> Callable[[str], str]:
    """Replace ISA``position`` keeping the ISA's fixed length (values are padded)."""

    def edit(text: str) -> str:
        parts = text[:106].split("*")
        width = len(parts[position])
        parts[position] = value.ljust(width)[:width]
        return "*".join(parts) + text[106:]

    return edit


def _gs(position: int, value: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        start = text.index("~GS*") + 1
        end = text.index("~", start)
        parts = text[start:end].split("*")
        parts[position] = value
        return text[:start] + "*".join(parts) + text[end:]

    return edit


# (name, edit, the element at fault)
ENVELOPE: list[tuple[str, Callable[[str], str], str, int]] = [
    ("ISA01 code", _isa(1, "07"), "ISA", 1),
    ("ISA03 code", _isa(3, "09"), "ISA", 3),
    ("ISA05 qualifier", _isa(5, "99"), "ISA", 5),
    ("ISA07 qualifier", _isa(7, "AB"), "ISA", 7),
    ("ISA09 date", _isa(9, "240231"), "ISA", 9),
    ("ISA10 time", _isa(10, "2599"), "ISA", 10),
    ("ISA12 version", _isa(12, "00401"), "ISA", 12),
    ("ISA13 not numeric", _isa(13, "00000000A"), "ISA", 13),
    ("ISA14 code", _isa(14, "7"), "ISA", 14),
    ("ISA15 code", _isa(15, "Q"), "ISA", 15),
    ("GS01 not the 837's", _gs(1, "HP"), "GS", 1),
    ("GS02 too long", _gs(2, "S" * 16), "GS", 2),
    ("GS04 date", _gs(4, "20240231"), "GS", 4),
    ("GS05 time", _gs(5, "2599"), "GS", 5),
    ("GS06 not numeric", _gs(6, "1A"), "GS", 6),
    ("GS07 agency", _gs(7, "T"), "GS", 7),
    ("GS08 missing", _gs(8, ""), "GS", 8),
]


def test_generated_envelope_is_clean() -> None:
    report = validate(GOOD, today=TODAY)
    assert report.findings == (), str(report)


@pytest.mark.parametrize(
    ("name", "edit", "seg_id", "position"), ENVELOPE, ids=[e[0] for e in ENVELOPE]
)
def test_envelope_element_findings(
    name: str, edit: Callable[[str], str], seg_id: str, position: int
) -> None:
    report = validate(edit(GOOD), today=TODAY)
    code = envelope_code(seg_id, position)
    hits = [f for f in report.errors if f.code == code]
    assert hits, f"{name}: {[str(f) for f in report.findings]}"
    loc = hits[0].location
    assert loc is not None
    assert (loc.segment_id, loc.segment_index, loc.element) == (
        seg_id,
        1 if seg_id == "ISA" else 2,
        position,
    )
    assert snip_level(hits[0]) == 1
    assert report.exit_code() == 1
    # one finding per element, and nothing else is wrong with the file (a control number
    # changed in the header no longer matches its trailer's: that is a finding of its own)
    others = [f.code for f in report.errors if not f.code.endswith("_CONTROL_NUMBER")]
    assert others == [code]


def test_envelope_messages_do_not_echo_values() -> None:
    report = validate(_isa(6, "ZZSENTINEL")(_isa(9, "240231")(GOOD)), today=TODAY)
    assert "ZZSENTINEL" not in str(report) and "240231" not in report.to_json()


def test_gs01_names_the_functional_identifier_of_the_transaction() -> None:
    report = validate(_gs(1, "HP")(GOOD), today=TODAY)
    (finding,) = report.errors
    assert "HC" in finding.message


def test_a_file_without_envelope_gets_no_envelope_element_findings() -> None:
    body = GOOD[GOOD.index("ST*") : GOOD.index("GE*")]
    report = validate(body, today=TODAY)
    assert not [f for f in report.findings if f.code.startswith(("ISA", "GS"))]


def test_isa_errors_answer_in_the_ta1_with_the_elements_note() -> None:
    report = validate(_isa(5, "99")(GOOD), today=TODAY)
    ta1 = report.to_ta1()
    assert re.search(r"TA1\*000000001\*240501\*1000\*R\*005~", ta1), ta1


def test_group_errors_reject_the_group_in_the_999() -> None:
    report = validate(_gs(4, "20240231")(GOOD), today=TODAY)
    ack = report.to_999()
    assert "AK9*R*1*1*0" in ack
    if pyx12_available():
        assert validate_with_pyx12(ack).passed


def _se_count_wrong(text: str) -> str:
    return re.sub(r"SE\*(\d+)", lambda m: f"SE*{int(m[1]) + 1}", text)


def test_999_rejects_a_wrong_segment_count_as_the_report_does() -> None:
    """The envelope reader counts SE01 against the segments; the report calls a mismatch an
    error (exit 1), so the 999 rejects the set (IK5*R*4), not "accepted with errors"."""
    report = validate(_se_count_wrong(GOOD), today=TODAY)
    assert [f.code for f in report.errors] == ["SE01_COUNT"]
    ack = report.to_999()
    assert "IK5*R*4~" in ack and "AK9*R*1*1*0~" in ack
    if pyx12_available():
        assert validate_with_pyx12(ack).passed


def test_warnings_alone_leave_the_999_accepted() -> None:
    """A report with warnings only is valid (exit 0); its 999 accepts (A); asked for, the
    warnings show as "accepted, errors noted"."""
    text = GOOD.replace("005010X222A1", "005010X222A2")
    report = validate(text, today=TODAY)
    assert [f.code for f in report.warnings] == ["GUIDE_SUBSTITUTED"]
    assert report.exit_code() == 0
    ack = report.to_999()
    assert "IK5*A~" in ack and "AK9*A*1*1*1~" in ack
    noted = report.to_999(include_warnings=True)
    assert "IK5*E" in noted
    if pyx12_available():
        assert validate_with_pyx12(ack).passed and validate_with_pyx12(noted).passed


def test_a_substituted_guide_does_not_also_flag_st03() -> None:
    """An 837I of 005010X223A3 is checked with X223A2's table: one warning says so, and ST03
    (whose table lists only X223A2) is not an error besides."""
    from edi837.guide_x223a2 import GUIDE

    st = next(s for s in GUIDE.root.segments if s.id == "ST")
    assert st.codes_of(3) == ("005010X223A2",)  # the case this guards
    path = CORPUS / "837i" / "lfh_two_claims.837i"
    if not path.is_file():
        pytest.skip(f"corpus file {path} not present")
    report = validate(path.read_bytes())
    st_findings = [
        f.code
        for f in report.findings
        if f.location and f.location.element == 3 and f.location.segment_id == "ST"
    ]
    assert st_findings == []
    assert "GUIDE_SUBSTITUTED" in [f.code for f in report.warnings]


def test_command_line_keeps_the_verdict_when_no_999_can_answer(tmp_path: pathlib.Path) -> None:
    """A readable file whose group a 999 cannot name (GS01 is not a 999 functional id) exits
    1 for its errors, not 2 (unreadable), and says why no acknowledgment was written."""
    from edi837.cli import main

    path = tmp_path / "bad-gs.837"
    path.write_text(_gs(1, "ZZ")(GOOD))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["validate", str(path), "--ack", "999", "-o", str(tmp_path / "a.999")])
    assert code == 1
    assert "no 999 can answer" in err.getvalue()
    assert not (tmp_path / "a.999").exists()


class _ChunksOnly(io.BytesIO):
    """Standard input that refuses to be read whole."""

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None and size > 0, "standard input read whole"
        return super().read(size)


@pytest.mark.parametrize(
    "text", [GOOD, _gs(1, "ZZ")(GOOD), "ISA*00*"], ids=["good", "bad-gs", "cut"]
)
def test_standard_input_is_validated_as_the_same_file_would_be(
    text: str, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``validate -`` copies standard input to a temporary file and validates that, as a
    file is (read as it is checked: memory no longer holds the whole input). The findings,
    the 999 and the exit code are those of the same bytes given as a file, and the temporary
    copy is removed."""
    from edi837.cli import main

    path = tmp_path / "claims.837"
    path.write_text(text)
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(spool))
    results = []
    for source in (str(path), "-"):
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(_ChunksOnly(text.encode())))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["validate", source, "--format", "json", "--ack", "999"], out=out)
        results.append((code, out.getvalue(), err.getvalue()))
    assert results[0] == results[1]
    assert list(spool.iterdir()) == []
