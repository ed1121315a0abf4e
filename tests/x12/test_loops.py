"""The table-driven loop walker: real files from the shared corpus and made-up ones."""

from __future__ import annotations

import contextlib
import pathlib
import random

import pytest

from _corpus import corpus_files
from edi835.guide_x221a1 import GUIDE as G835
from edi837.guide_x222a1 import GUIDE as G837P
from x12.errors import IssueLog, X12Error, X12StructureError
from x12.guide import Guide
from x12.loops import LoopNode, build_tree
from x12.tokenizer import tokenize


def _transactions(path: pathlib.Path) -> list[tuple[int, list[list[str]], str, str]]:
    """(ST index, ST..SE segments, component separator, version) of each transaction."""
    segments = tokenize(path.read_bytes())
    out = []
    component, version, start = ":", "", None
    for i, seg in enumerate(segments):
        if seg[0] == "ISA" and len(seg) > 16:
            component = seg[16]
        elif seg[0] == "GS" and len(seg) > 8:
            version = seg[8]
        elif seg[0] == "ST":
            start = i
        elif seg[0] == "SE" and start is not None:
            st = segments[start]
            out.append(
                (start, segments[start : i + 1], component, st[3] if len(st) > 3 else version)
            )
            start = None
    return out


def _walk(path: pathlib.Path, guide: Guide) -> list[tuple[LoopNode, IssueLog]]:
    found = []
    for start, segments, component, _ in _transactions(path):
        log = IssueLog()
        found.append(
            (build_tree(segments, guide, component=component, log=log, start_index=start + 1), log)
        )
    return found


def _where(tree: LoopNode, seg_ids: set[str]) -> list[tuple[str, str, str]]:
    """(segment id, element 1, loop id) of the chosen segments, in file order."""
    rows = [
        (index, seg[0], seg[1] if len(seg) > 1 else "", node.id)
        for node in tree.iter()
        for index, seg in node.segments
        if seg[0] in seg_ids
    ]
    return [row[1:] for row in sorted(rows)]


def test_837p_cob_example_3b(corpus: pathlib.Path) -> None:
    [(tree, log)] = _walk(corpus / "837p" / "lfh_cob_ex3B.837", G837P)
    assert not log.issues
    assert _where(tree, {"NM1", "SBR", "SVD"}) == [
        ("NM1", "41", "1000A"),
        ("NM1", "40", "1000B"),
        ("NM1", "85", "2010AA"),
        ("NM1", "87", "2010AB"),
        ("SBR", "S", "2000B"),
        ("NM1", "IL", "2010BA"),
        ("NM1", "PR", "2010BB"),
        ("NM1", "QC", "2010CA"),
        ("NM1", "82", "2310B"),
        ("NM1", "77", "2310C"),
        ("SBR", "P", "2320"),
        ("NM1", "IL", "2330A"),
        ("NM1", "PR", "2330B"),
        ("SVD", "999996666", "2430"),
        ("SVD", "999996666", "2430"),
        ("SVD", "999996666", "2430"),
    ]
    # the hierarchy: 2000A > 2000B > 2000C > 2300 > 2400 x3, each 2400 with its 2430
    path = [n.id for n in tree.iter() if n.id.startswith("2000")]
    assert path == ["2000A", "2000B", "2000C"]
    claim = tree.find("2300")
    assert claim is not None and claim.first_segment("CLM") is not None
    assert [len(list(line.iter("2430"))) for line in claim.iter("2400")] == [1, 1, 1]
    assert tree.find("2000C") is not None
    assert tree.find("2000C").find("2300") is claim  # type: ignore[union-attr]


def test_835_medicare_part_a(corpus: pathlib.Path) -> None:
    [(tree, log)] = _walk(corpus / "835" / "lfh_medicare_part_a.835", G835)
    claims = list(tree.iter("2100"))
    assert [c.first_segment("CLP")[1] for c in claims] == ["666123", "777777"]  # type: ignore[index]
    assert [len(list(c.iter("2110"))) for c in claims] == [0, 0]  # claim-level Part A
    assert [i for i, _ in claims[0].segments] == [15, 16, 17, 18, 19, 20, 21]
    assert tree.find("FOOTER").first_segment("PLB") is not None  # type: ignore[union-attr]
    # its payer sends no PER*BL, which the guide requires in 1000A
    assert [(i.code, i.location.loop) for i in log.issues] == [  # type: ignore[union-attr]
        ("MANDATORY_SEGMENT_MISSING", "1000A")
    ]


def test_835_managed_care_service_lines(corpus: pathlib.Path) -> None:
    [(tree, _)] = _walk(corpus / "835" / "lfh_managed_care.835", G835)
    assert [len(list(c.iter("2110"))) for c in tree.iter("2100")] == [1, 1]


def _is_5010(version: str, code: str) -> bool:
    return version.startswith("005010") and code in version


CORPUS_837P = [p for p in corpus_files("837p") if "INVALID" not in p.name]
CORPUS_835 = [p for p in corpus_files("835") if "INVALID" not in p.name]


@pytest.mark.parametrize(
    ("path", "guide", "code"),
    [(p, G837P, "X222") for p in CORPUS_837P] + [(p, G835, "X221") for p in CORPUS_835],
    ids=lambda v: v.name if isinstance(v, pathlib.Path) else "",
)
def test_corpus_walks_without_unexpected_segments(
    path: pathlib.Path, guide: Guide, code: str
) -> None:
    walked = 0
    for start, segments, component, version in _transactions(path):
        if not _is_5010(version, code):
            continue
        log = IssueLog()
        tree = build_tree(segments, guide, component=component, log=log, start_index=start + 1)
        unexpected = [str(i) for i in log.issues if i.code == "UNEXPECTED_SEGMENT"]
        assert not unexpected, unexpected
        kept = sorted(i for node in tree.iter() for i, _ in node.segments)
        assert kept == list(range(start + 1, start + 1 + len(segments)))
        walked += 1
    if not walked:
        pytest.skip(f"{path.name}: no 5010 {code} transaction")


# --- made-up transactions -------------------------------------------------------------------


def _segments(text: str) -> list[list[str]]:
    return [s.strip().split("*") for s in text.replace("\n", "").split("~") if s.strip()]


CLAIM_835 = """
ST*835*1~BPR*I*10*C*CHK************20200101~TRN*1*1*1~
N1*PR*PAYER~N3*1 MAIN~N4*CITY*ST*12345~PER*BL*X~N1*PE*PAYEE*XX*1~
LX*1~CLP*A*1*10*10**MC*1~NM1*QC*1*DOE~SVC*HC:1*10*10~SVC*HC:2*1*1~
CLP*B*1*10*10**MC*2~NM1*QC*1*ROE~SE*16*1~
"""


def test_made_up_835_is_clean() -> None:
    log = IssueLog()
    segments = _segments(CLAIM_835)
    tree = build_tree(
        segments, G835, component=":", log=log, start_index=3, offsets=range(0, 1000, 10)
    )
    assert not log.issues, [str(i) for i in log.issues]
    assert [c.id for c in tree.children] == ["HEADER", "DETAIL"]
    assert [len(list(c.iter("2110"))) for c in tree.iter("2100")] == [2, 0]
    assert tree.first_segment("SE") == ["SE", "16", "1"]
    assert tree.segments[0] == (3, segments[0])


def test_unexpected_segment_is_kept_and_located() -> None:
    segments = _segments(CLAIM_835.replace("NM1*QC*1*DOE~", "NM1*QC*1*DOE~ZZZ*1~"))
    log = IssueLog()
    tree = build_tree(
        segments, G835, component=":", log=log, start_index=5, offsets=range(100, 9999, 7)
    )
    [issue] = log.issues
    assert issue.code == "UNEXPECTED_SEGMENT"
    assert issue.location is not None
    index = next(i for i, s in enumerate(segments) if s[0] == "ZZZ")
    # an id the guide does not know may be data: named only when values are asked for
    assert (issue.location.segment_index, issue.location.segment_id) == (5 + index, None)
    assert (issue.location.loop, issue.location.offset) == ("2100", 100 + 7 * index)
    assert "ZZZ" not in str(issue) and issue.value == "ZZZ"
    assert tree.find("2100").first_segment("ZZZ") == ["ZZZ", "1"]  # type: ignore[union-attr]
    log = IssueLog(show_values=True)
    build_tree(segments, G835, component=":", log=log)
    [issue] = log.issues
    assert "the guide does not know" in str(issue) and "(value 'ZZZ')" in str(issue)


def test_a_short_name_read_as_a_segment_id_is_not_shown() -> None:
    """A forged terminator before a short last name makes 'LEE' the id: not echoed."""
    segments = _segments(CLAIM_835.replace("NM1*QC*1*DOE~", "NM1*QC*1~LEE*JOHN~"))
    log = IssueLog()
    build_tree(segments, G835, component=":", log=log)
    assert [i.code for i in log] == ["UNEXPECTED_SEGMENT"]
    assert all("LEE" not in str(i) + repr(i) for i in log)


def test_counts_and_required() -> None:
    text = CLAIM_835.replace("NM1*QC*1*DOE~", "NM1*QC*1*DOE~NM1*QC*1*DOE~").replace(
        "N1*PR*PAYER~N3*1 MAIN~", "N1*PR*PAYER~"
    )
    log = IssueLog()
    build_tree(_segments(text), G835, component=":", log=log)
    codes = sorted((i.code, i.location.loop) for i in log.issues)  # type: ignore[union-attr]
    assert codes == [
        ("MANDATORY_SEGMENT_MISSING", "1000A"),
        ("SEGMENT_EXCEEDS_MAXIMUM_USE", "2100"),
    ]


def test_loop_over_max_and_strict() -> None:
    text = CLAIM_835.replace("N1*PE*PAYEE*XX*1~", "N1*PE*PAYEE*XX*1~N1*PE*AGAIN*XX*1~")
    log = IssueLog()
    build_tree(_segments(text), G835, component=":", log=log)
    assert [i.code for i in log.issues] == ["LOOP_OCCURS_OVER_MAX"]
    with pytest.raises(X12StructureError) as caught:
        build_tree(_segments(text), G835, component=":", log=IssueLog(strict=True))
    assert caught.value.code == "LOOP_OCCURS_OVER_MAX"


def test_bad_qualifier_and_out_of_order() -> None:
    text = CLAIM_835.replace("NM1*QC*1*DOE~", "NM1*QC*1*DOE~DTM*999*20200101~").replace(
        "TRN*1*1*1~", "TRN*1*1*1~"
    )
    log = IssueLog()
    tree = build_tree(_segments(text), G835, component=":", log=log)
    [issue] = log.issues
    assert (issue.code, issue.location.element) == ("INVALID_CODE_VALUE", 1)  # type: ignore[union-attr]
    assert tree.find("2100").first_segment("DTM", "999") is not None  # type: ignore[union-attr]
    text = CLAIM_835.replace(
        "SVC*HC:1*10*10~", "SVC*HC:1*10*10~DTM*472*20200101~REF*6R*1~DTM*472*20200102~"
    )
    log = IssueLog()
    build_tree(_segments(text), G835, component=":", log=log)
    assert [i.code for i in log.issues] == ["SEGMENT_NOT_IN_PROPER_SEQUENCE"]


def test_hl_nests_by_parent_id() -> None:
    text = """
    ST*837*1*005010X222A1~BHT*0019*00*1*20200101*1200*CH~NM1*41*2*S*****46*1~PER*IC*X*TE*1~
    NM1*40*2*R*****46*2~
    HL*1**20*1~NM1*85*2*B*****XX*1~N3*A~N4*C*ST*1~REF*EI*1~
    HL*2*1*22*0~SBR*P*18*******CI~NM1*IL*1*D****MI*1~NM1*PR*2*P*****PI*1~
    CLM*1*10***11:B:1*Y*A*Y*Y~HI*ABK:R51~LX*1~SV1*HC:1*10*UN*1***1~DTP*472*D8*20200101~
    HL*3**20*1~NM1*85*2*B2*****XX*2~N3*A~N4*C*ST*1~REF*EI*1~
    HL*4*1*22*0~SBR*P*18*******CI~NM1*IL*1*E****MI*1~NM1*PR*2*P*****PI*1~
    CLM*2*10***11:B:1*Y*A*Y*Y~HI*ABK:R51~LX*1~SV1*HC:1*10*UN*1***1~DTP*472*D8*20200101~
    SE*37*1~
    """
    log = IssueLog()
    tree = build_tree(_segments(text), G837P, component=":", log=log)
    # HL 4 goes back under HL 1, which leaves the second billing provider (HL 3) without
    # the subscriber level the guide requires
    assert [(i.code, i.location.loop) for i in log.issues] == [  # type: ignore[union-attr]
        ("MANDATORY_SEGMENT_MISSING", "2000A")
    ]
    first, second = tree.iter("2000A")
    assert [b.first_segment("HL")[1] for b in first.iter("2000B")] == ["2", "4"]  # type: ignore[index]
    assert list(second.iter("2000B")) == []


def test_empty_and_odd_input() -> None:
    log = IssueLog()
    tree = build_tree([], G837P, component=":", log=log)
    assert tree.id == "ST_LOOP" and tree.segments == []
    assert "MANDATORY_SEGMENT_MISSING" in [i.code for i in log.issues]
    log = IssueLog()
    tree = build_tree([[], [""], ["HL"], ["NM1"], ["SV1", ""]], G837P, component="", log=log)
    assert sum(len(n.segments) for n in tree.iter()) == 5


def test_random_input_raises_only_x12_errors() -> None:
    rng = random.Random(837)
    pool = [s for s in _segments(CLAIM_835)] + [
        ["HL", "1", "", "20"],
        ["HL", "2", "1", "22"],
        ["ZZ"],
        [],
    ]
    for _ in range(300):
        segments = [list(rng.choice(pool)) for _ in range(rng.randint(0, 30))]
        for strict in (False, True):
            try:
                tree = build_tree(
                    segments,
                    G837P if rng.random() < 0.5 else G835,
                    component=":",
                    log=IssueLog(strict=strict),
                )
            except X12Error:
                assert strict
                continue
            assert sum(len(n.segments) for n in tree.iter()) == len(segments)


# --- no data values in messages unless asked for (issue 10) --------------------------------

PHI = "ZZPHISENTINEL"


def test_unexpected_segment_message_does_not_echo_a_damaged_id() -> None:
    """A lost terminator makes data (here a patient's last name) the 'segment id': the
    message and location name no data; the raw id is the issue's hidden value."""
    segments = _segments(CLAIM_835.replace("NM1*QC*1*DOE~", f"{PHI}*QC*1*DOE~"))
    log = IssueLog()
    build_tree(segments, G835, component=":", log=log)
    [issue] = [i for i in log.issues if i.code == "UNEXPECTED_SEGMENT"]
    assert PHI not in str(issue) and PHI not in repr(issue) and PHI not in issue.message
    assert "id the guide does not know" in issue.message
    assert issue.location is not None and issue.location.segment_id is None
    assert issue.value == PHI
    assert PHI in issue.text(show_values=True)
    with pytest.raises(X12StructureError) as caught:
        build_tree(segments, G835, component=":", log=IssueLog(strict=True))
    assert PHI not in str(caught.value) and PHI not in repr(caught.value)


def test_unexpected_segment_through_the_837_reader() -> None:
    """The same damage in a whole 837P read by edi837: no issue's text has the name."""
    import datetime as dt

    import attrs

    import edi837
    from edi837.fake import generate, receiver, submitter

    claim = generate(1, seed=3)[0]
    claim = attrs.evolve(claim, subscriber=attrs.evolve(claim.subscriber, last_name=PHI))
    text = edi837.dumps(
        [claim], submitter=submitter(), receiver=receiver(), timestamp=dt.datetime(2026, 1, 2)
    )
    segs = text.split("~")
    i = next(k for k, s in enumerate(segs) if s.startswith("NM1*IL"))
    segs[i] = PHI + segs[i][3:]
    log = IssueLog()
    try:
        edi837.loads("~".join(segs), log=log)
    except X12Error as exc:
        assert PHI not in str(exc)
    assert log.issues
    for issue in log:
        assert PHI not in str(issue) and PHI not in repr(issue)
    shown = IssueLog(show_values=True)
    with contextlib.suppress(X12Error):
        edi837.loads("~".join(segs), log=shown)
    assert any(PHI in str(issue) for issue in shown)


@pytest.mark.parametrize(
    ("edit", "code", "value"),
    [
        (("NM1*QC*1*DOE~", f"NM1*QC*1*DOE~{PHI}*1~"), "UNEXPECTED_SEGMENT", PHI),
        (("NM1*QC*1*DOE~", "NM1*QC*1*DOE~DTM*Q99*20200101~"), "INVALID_CODE_VALUE", "Q99"),
    ],
)
def test_show_values_shows_the_recorded_value(edit: tuple[str, str], code: str, value: str) -> None:
    segments = _segments(CLAIM_835.replace(*edit))
    hidden, shown = IssueLog(), IssueLog(show_values=True)
    build_tree(segments, G835, component=":", log=hidden)
    build_tree(segments, G835, component=":", log=shown)
    [h] = [i for i in hidden if i.code == code]
    [s] = [i for i in shown if i.code == code]
    assert h == s and h.value == s.value == value  # the switch changes only the text
    assert value not in str(h) and f"(value {value!r})" in str(s)
    assert value not in repr(s)
    with pytest.raises(X12Error) as caught:
        build_tree(segments, G835, component=":", log=IssueLog(strict=True, show_values=True))
    if caught.value.code == code:
        assert value in str(caught.value)
