"""The 837D table (005010X224A2): regenerated, consistent with the 837P table, and a judge.

pyx12 has no X224A2 map, so the table is our own (see ``tools/gen_guide_x224a2.py``). These
tests catch a mistake in it: every loop it shares with the 837P table must agree with that
table (trigger qualifiers, HL levels, nesting, usage), the loop walker must find no structure
issue in a well-formed file, and it must find the breaks a judge has to find (a missing
required loop, a wrong qualifier, a segment over its max use).
"""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

from edi837.guide_x222a1 import GUIDE as P
from edi837.guide_x224a2 import GUIDE as D
from x12.errors import IssueLog
from x12.guide import LoopSpec
from x12.loops import build_tree
from x12.tokenizer import tokenize

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"

#: Loops that mean the same in X222A1 and X224A2 (same id, same trigger, same place).
SHARED = (
    "HEADER",
    "1000A",
    "1000B",
    "DETAIL",
    "2000A",
    "2010AA",
    "2010AB",
    "2010AC",
    "2000B",
    "2010BA",
    "2010BB",
    "2000C",
    "2010CA",
    "2300",
    "2310A",
    "2310B",
    "2310C",
    "2320",
    "2330A",
    "2330B",
    "2400",
    "2420A",
    "2430",
)

#: Dental loop -> the 837P loop holding the same party (the letters differ between guides).
SAME_PARTY = {
    "2310E": "2310D",  # supervising
    "2330C": "2330C",  # other payer referring
    "2330D": "2330D",  # other payer rendering
    "2330E": "2330F",  # other payer supervising
    "2330F": "2330G",  # other payer billing provider
    "2330G": "2330E",  # other payer service facility
    "2420C": "2420D",  # line supervising
    "2420D": "2420C",  # line service facility
}


def _parents(root: LoopSpec) -> dict[str, str]:
    out: dict[str, str] = {}
    for loop in root.walk():
        for child in loop.loops:
            out.setdefault(child.id, loop.id)
    return out


def test_table_is_regenerated() -> None:
    """The module on disk is what the script produces (nobody edited it by hand)."""
    spec = importlib.util.spec_from_file_location(
        "gen_guide_x224a2", ROOT / "tools" / "gen_guide_x224a2.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0


def test_identity() -> None:
    assert D.id == "005010X224A2"
    assert D.transaction == "837"
    st = D.root.children[0]
    assert st.id == "ST" and st.element(3).codes == ("005010X224A2",)  # type: ignore[union-attr]


@pytest.mark.parametrize("loop_id", SHARED)
def test_shared_loop_agrees_with_837p(loop_id: str) -> None:
    dental, prof = D.loop(loop_id), P.loop(loop_id)
    assert dental.trigger_codes == prof.trigger_codes
    assert dental.usage == prof.usage or loop_id in ("2400",)
    assert dental.max_use == prof.max_use
    assert _parents(D.root).get(loop_id) == _parents(P.root).get(loop_id)


@pytest.mark.parametrize(("dental_id", "prof_id"), sorted(SAME_PARTY.items()))
def test_renamed_party_loops_agree_with_837p(dental_id: str, prof_id: str) -> None:
    dental, prof = D.loop(dental_id), P.loop(prof_id)
    assert dental.trigger_codes == prof.trigger_codes
    assert [s.qualifier_codes for s in dental.segments] == [
        s.qualifier_codes for s in prof.segments
    ]


def test_every_837p_qualified_segment_of_shared_loops_keeps_its_codes() -> None:
    """A dental segment with the same id and name as in the 837P carries the same codes."""
    for loop_id in SHARED:
        prof = {(s.id, s.name): s for s in P.loop(loop_id).segments}
        for s in D.loop(loop_id).segments:
            twin = prof.get((s.id, s.name))
            if twin is not None and s.id not in ("ST", "CLM", "HI", "SVD", "PWK"):
                assert s.qualifier_codes == twin.qualifier_codes, (loop_id, s.id, s.name)


def test_hl_levels() -> None:
    assert D.loop("2000A").trigger_codes == ("20",)
    assert D.loop("2000B").trigger_codes == ("22",)
    assert D.loop("2000C").trigger_codes == ("23",)
    assert [loop.usage for loop in D.loops("2300")] == ["S", "R"]


def test_dental_segments() -> None:
    sv3 = D.segment("2400", "SV3")
    assert sv3.required
    assert sv3.element(1, 1).codes == ("AD",)  # type: ignore[union-attr]
    assert len(sv3.element(4).components) == 5  # type: ignore[union-attr]  # oral cavity
    assert sv3.element(5).codes == ("I", "R")  # type: ignore[union-attr]
    assert len(sv3.element(11).components) == 4  # type: ignore[union-attr]  # pointers
    too = D.segment("2400", "TOO")
    assert too.max_use == 32
    assert too.element(1).codes == ("JP",)  # type: ignore[union-attr]
    assert set(too.element(3, 1).codes) == set("BDFILMO")  # type: ignore[union-attr]
    assert D.segment("2300", "DN2").max_use == 35
    assert "PB" in D.segment("2300", "CLM").element(19).codes  # type: ignore[union-attr]
    for code in ("441", "446", "452", "472", "196", "198"):
        assert D.segment("2400", "DTP", code).position == D.segment("2400", "DTP", "472").position
    assert D.segment("2300", "REF", "G3").name == "Predetermination Identification"
    assert D.segment("2430", "SVD").element(3, 1).codes == ("AD",)  # type: ignore[union-attr]
    assert [loop.id for loop in D.loop("2300").loops] == [
        "2310A",
        "2310B",
        "2310C",
        "2310D",
        "2310E",
        "2320",
        "2400",
    ]
    assert [loop.id for loop in D.loop("2320").loops] == [f"2330{c}" for c in "ABCDEFGH"]
    assert [loop.id for loop in D.loop("2400").loops] == [
        "2420A",
        "2420B",
        "2420C",
        "2420D",
        "2430",
    ]


# --------------------------------------------------------------------------- the judge
GOOD = """ST*837*0001*005010X224A2~
BHT*0019*00*REF1*20240102*1200*CH~
NM1*41*2*SENDER*****46*S1~
PER*IC*DESK*TE*5555550100~
NM1*40*2*RECEIVER*****46*R1~
HL*1**20*1~
NM1*85*2*CLINIC*****XX*1234567893~
N3*1 MAIN ST~
N4*TOWN*NY*12345~
REF*EI*123456789~
HL*2*1*22*0~
SBR*P*18*******CI~
NM1*IL*1*DOE*JANE****MI*M1~
NM1*PR*2*PAYER*****PI*P1~
CLM*C1*100***11:B:1*Y*A*Y*Y~
DN1*24*12~
DN2*3*M~
NM1*82*1*SMITH*ANN****XX*1234567893~
PRV*PE*PXC*1223G0001X~
LX*1~
SV3*AD:D2392*100****1~
TOO*JP*3*M:O~
DTP*472*D8*20240101~
SE*23*0001~"""


def _walk(text: str) -> list[str]:
    log = IssueLog()
    segments = tokenize(text)
    build_tree(segments, D, component=":", log=log)
    return [i.code for i in log.issues]


def test_well_formed_file_has_no_structure_issue() -> None:
    assert _walk(GOOD) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        # The payer loop 2010BB is required.
        (lambda t: t.replace("NM1*PR*2*PAYER*****PI*P1~\n", ""), "MANDATORY_SEGMENT_MISSING"),
        # SV3 is required in 2400.
        (lambda t: t.replace("SV3*AD:D2392*100****1~\n", ""), "MANDATORY_SEGMENT_MISSING"),
        # A qualifier the guide does not know (NM1*ZZ in the subscriber level).
        (lambda t: t.replace("NM1*PR*", "NM1*ZZ*"), "MANDATORY_SEGMENT_MISSING"),
        (lambda t: t.replace("DTP*472*", "DTP*999*"), "INVALID_CODE_VALUE"),
        # TOO may repeat 32 times.
        (lambda t: t.replace("TOO*JP*3*M:O~", "\n".join(["TOO*JP*3~"] * 33)), None),
        # DN1 is used at most once.
        (lambda t: t.replace("DN1*24*12~", "DN1*24*12~\nDN1*24*12~"), None),
        # A segment this guide does not have at all (SV1 of the 837P).
        (lambda t: t.replace("SV3*AD:D2392*100****1~", "SV1*HC:99213*100*UN*1***1~"), None),
    ],
)
def test_judge_rejects_broken_files(change: object, code: str | None) -> None:
    broken = change(GOOD)  # type: ignore[operator]
    codes = _walk(broken)
    assert codes, "the table let a broken file through"
    if code is not None:
        assert code in codes
    if "TOO*JP*3~" in broken or broken.count("DN1*") == 2:
        assert "SEGMENT_EXCEEDS_MAXIMUM_USE" in codes


def test_corpus_837d_has_no_structure_issue() -> None:
    folder = CORPUS / "837d"
    if not folder.is_dir():
        pytest.skip(f"shared corpus not found at {folder}")
    from x12.envelope import EnvelopeReader

    for path in sorted(folder.iterdir()):
        if "INVALID" in path.name or "4010" in path.name:
            continue
        log = IssueLog()
        for tx in EnvelopeReader(path.read_bytes(), strict=False, log=log).transactions():
            body = list(tx)
            walk_log = IssueLog()
            build_tree(
                [tx.st, *body, ["SE", "0", "0"]],
                D,
                component=tx.delimiters.component,
                log=walk_log,
            )
            assert [i.code for i in walk_log.issues] == [], path.name
