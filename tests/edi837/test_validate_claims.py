"""edi837.validate: valid generated files give no findings; each deliberately broken file
(a generated file with one rule broken) gives that rule's finding at the right place; the
corpus INVALID files give errors; where pyx12 passes a corpus file, our SNIP 1-2 do too."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from collections.abc import Callable

import pytest

import edi837
from _corpus import corpus_files
from _helpers import run_main, set_element
from edi837 import fake
from edi837.cli import main
from edi837.validation import validate
from x12.pyx12_check import pyx12_available, validate_with_pyx12
from x12.validate import snip_level

TODAY = dt.date(2025, 1, 1)
STAMP = dt.datetime(2024, 5, 1, 10, 0)


def _text(count: int = 3, seed: int = 5, every_loop: bool = False) -> str:
    claims = fake.generate(count, seed=seed, every_loop=every_loop)
    return edi837.dumps(
        claims, submitter=fake.submitter(), receiver=fake.receiver(), timestamp=STAMP
    )


@pytest.mark.parametrize(("count", "seed", "every_loop"), [(3, 5, False), (40, 7, True)])
def test_generated_files_are_valid(count: int, seed: int, every_loop: bool) -> None:
    report = validate(_text(count, seed, every_loop), today=TODAY)
    assert report.findings == (), str(report)
    assert report.exit_code() == 0


Mutation = Callable[[list[str]], int]  # edits the segment list, returns the 0-based index


def _at(prefix: str, nth: int = 0) -> Callable[[list[str]], int]:
    def find(segs: list[str]) -> int:
        return [i for i, s in enumerate(segs) if s.startswith(prefix)][nth]

    return find


_set = set_element


def _drop(prefix: str) -> Mutation:
    def mutate(segs: list[str]) -> int:
        i = _at(prefix)(segs)
        del segs[i]
        return i  # the finding is located where the absence is noticed (the next segment)

    return mutate


def _repeat(prefix: str) -> Mutation:
    def mutate(segs: list[str]) -> int:
        i = _at(prefix)(segs)
        segs.insert(i + 1, segs[i])
        return i + 1

    return mutate


def _apply(text: str, mutation: Mutation, fix_count: bool = True) -> tuple[str, int]:
    segs = [s for s in text.split("~") if s]
    index = mutation(segs)
    if fix_count:
        st = next(i for i, s in enumerate(segs) if s.startswith("ST*"))
        se = next(i for i, s in enumerate(segs) if s.startswith("SE*"))
        segs[se] = re.sub(r"^SE\*\d+", f"SE*{se - st + 1}", segs[se])
    return "~".join(segs) + "~", index + 1  # locations count segments from 1 (ISA)


BROKEN: list[tuple[str, Mutation, str, int, int | None]] = [
    # (name, mutation, code, SNIP type, element)
    ("claim total", _set("CLM*", 2, "999.00"), "CLAIM_TOTAL_MISMATCH", 3, 2),
    ("cob line", _set("SVD*", 2, "1.00"), "COB_LINE_UNBALANCED", 3, 2),
    ("npi", _set("NM1*85", 9, "2580730219"), "INVALID_NPI", 5, 9),
    ("ein", _set("REF*EI", 2, "70091063"), "INVALID_EIN", 5, 2),
    ("icd10", _set("HI*", 1, "ABK:M79.604"), "INVALID_ICD10_CM", 5, 1),
    ("procedure", _set("SV1*", 1, "HC:7104X"), "INVALID_PROCEDURE_CODE", 5, 1),
    ("place of service", _set("CLM*", 5, "98:B:1"), "INVALID_PLACE_OF_SERVICE", 5, 5),
    ("taxonomy", _set("PRV*BI", 3, "207R0000"), "INVALID_TAXONOMY", 5, 3),
    ("state", _set("N4*", 2, "ZZ", nth=1), "INVALID_STATE", 5, 2),
    ("zip", _set("N4*", 3, "1220", nth=1), "INVALID_ZIP", 5, 3),
    ("birth date", _set("DMG*", 2, "20300101"), "DATE_IN_FUTURE", 5, 2),
    ("void without original", _set("CLM*", 5, "11:B:8"), "ORIGINAL_REFERENCE_MISSING", 4, 5),
    ("accident date", _set("CLM*", 11, "AA:::NY"), "ACCIDENT_DATE_MISSING", 4, 11),
    ("subscriber is patient", _set("SBR*", 2, ""), "PATIENT_IS_SUBSCRIBER_CONFLICT", 4, 2),
    ("code value", _set("SBR*", 1, "Q"), "INVALID_CODE_VALUE", 2, 1),
    ("required element", _set("CLM*", 1, ""), "REQUIRED_DATA_ELEMENT_MISSING", 2, 1),
    ("date", _set("DTP*472", 3, "20240231"), "INVALID_DATE", 2, 3),
    ("max use", _repeat("REF*EI"), "SEGMENT_EXCEEDS_MAXIMUM_USE", 2, None),
    (
        "unknown segment",
        _repeat("ZZZ") if False else _set("LX*", 0, "ZZZ"),
        "UNEXPECTED_SEGMENT",
        2,
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "mutation", "code", "snip", "element"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_each_broken_rule_is_found_where_it_is_broken(
    name: str, mutation: Mutation, code: str, snip: int, element: int | None
) -> None:
    text, index = _apply(_text(), mutation)
    report = validate(text, today=TODAY)
    hits = [f for f in report.findings if f.code == code]
    assert hits, f"{name}: {code} not in {[f.code for f in report.findings]}"
    f = hits[0]
    assert f.location is not None and f.location.segment_index == index, (name, str(f))
    if element is not None:
        assert f.location.element == element
    assert snip_level(f) == snip
    assert report.exit_code() == 1


def test_missing_required_segment_and_wrong_counts() -> None:
    text, _ = _apply(_text(), _drop("N3*"))
    report = validate(text, today=TODAY)
    assert "MANDATORY_SEGMENT_MISSING" in {f.code for f in report.errors}
    text, _ = _apply(_text(), _set("CLM*", 2, "247.00"), fix_count=False)
    text = text.replace("SE*79*", "SE*80*")
    assert "SE01_COUNT" in {f.code for f in validate(text, today=TODAY).errors}


def test_pay_to_same_as_billing_is_a_warning() -> None:
    segs = [s for s in _text().split("~") if s]
    i = next(k for k, s in enumerate(segs) if s.startswith("HL*2*"))  # after 2010AA
    n3 = next(s for s in segs if s.startswith("N3*"))
    n4 = next(s for s in segs if s.startswith("N4*"))
    segs[i:i] = ["NM1*87*2", n3, n4]
    text, _ = _apply("~".join(segs) + "~", lambda s: 0)
    report = validate(text, today=TODAY)
    assert [f.code for f in report.warnings] == ["PAY_TO_SAME_AS_BILLING"]
    assert report.ok


def test_messages_carry_no_patient_data() -> None:
    text, _ = _apply(_text(), _set("NM1*IL", 3, "ZZSENTINEL"))
    text, _ = _apply(text, _set("DMG*", 2, "20300101"))
    report = validate(text, today=TODAY)
    assert report.errors
    assert "ZZSENTINEL" not in str(report) and "20300101" not in report.to_json()


INVALID = [p for p in corpus_files("837p") + corpus_files("837i") if "INVALID" in p.name]


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_corpus_invalid_files_give_errors(path: pathlib.Path) -> None:
    report = validate(path.read_bytes())
    assert report.errors
    assert all(f.location is not None for f in report.errors)


VALID_5010 = [
    p
    for p in corpus_files("837p") + corpus_files("837i")
    if "INVALID" not in p.name and b"005010X22" in p.read_bytes()[:400]
]


@pytest.mark.skipif(not pyx12_available(), reason="pyx12 not installed")
@pytest.mark.parametrize("path", VALID_5010, ids=[p.name for p in VALID_5010])
def test_where_pyx12_passes_a_file_our_guide_checks_pass_too(path: pathlib.Path) -> None:
    """SNIP 1-2 agree with pyx12 on real files. Our SNIP 5 goes further: public sample files
    often carry made-up NPIs whose check digit fails (pyx12 does not check it)."""
    text = path.read_bytes().decode("latin-1")
    if not validate_with_pyx12(text).passed:
        pytest.skip("pyx12 itself finds errors in this file")
    ours = [f for f in validate(path.read_bytes()).errors if snip_level(f) <= 2]
    assert ours == [], [str(f) for f in ours]


def _cli(*argv: str) -> tuple[int, str, str]:
    return run_main(main, *argv)


def test_command_line(tmp_path: pathlib.Path) -> None:
    good = tmp_path / "good.837"
    good.write_text(_text())
    bad = tmp_path / "bad.837"
    bad.write_text(_apply(_text(), _set("CLM*", 2, "999.00"))[0])
    code, out, _ = _cli("validate", str(good))
    assert code == 0 and out.strip().startswith("valid")
    code, out, _ = _cli("validate", str(bad), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["errors"] >= 1
    assert any(f["code"] == "CLAIM_TOTAL_MISMATCH" and f["snip"] == 3 for f in data["findings"])
    ack = tmp_path / "ack.999"
    code, _, _ = _cli("validate", str(bad), "--ack", "999", "-o", str(ack))
    assert code == 1 and "IK5*R" in ack.read_text()
    if pyx12_available():
        assert validate_with_pyx12(ack.read_text()).passed
    code, _, _ = _cli("validate", str(good), "--ack", "999", "-o", str(ack))
    assert code == 0 and "IK5*A" in ack.read_text() and "AK9*A" in ack.read_text()
    empty = tmp_path / "empty.837"
    empty.write_bytes(b"")
    assert _cli("validate", str(empty))[0] == 2
    assert _cli("validate", str(tmp_path / "missing.837"))[0] == 2
