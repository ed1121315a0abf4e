"""One table drives both directions: the tokenizer reads each wire text into the segments,
and the writer writes the segments back into the same wire text (h11's habit)."""

from __future__ import annotations

import pytest

from x12.delimiters import Delimiters
from x12.segment import Element, components, format_segment, repetitions
from x12.tokenizer import Tokenizer

STAR = Delimiters("*", ":", "^", "~", "")
PIPE = Delimiters("|", ">", "!", "\n", "")
STAR_NL = Delimiters("*", ":", "^", "~", "\n")

# (delimiters, segment id, elements to write, tokens read, wire text)
CASES: list[tuple[Delimiters, str, list[Element], list[str], str]] = [
    (STAR, "CLP", ["A1", "1", "300", "200"], ["CLP", "A1", "1", "300", "200"], "CLP*A1*1*300*200~"),
    (
        STAR,
        "SVC",
        [("HC", "99213", "25"), "200"],
        ["SVC", "HC:99213:25", "200"],
        "SVC*HC:99213:25*200~",
    ),
    (STAR, "CAS", ["CO", "45", "20", "", "", ""], ["CAS", "CO", "45", "20"], "CAS*CO*45*20~"),
    (
        STAR,
        "NM1",
        ["QC", "1", "DOE", "", "", "", "", "MI", "X"],
        ["NM1", "QC", "1", "DOE", "", "", "", "", "MI", "X"],
        "NM1*QC*1*DOE*****MI*X~",
    ),
    (
        STAR,
        "SV1",
        [("HC", "99213", "", ""), "100"],
        ["SV1", "HC:99213", "100"],
        "SV1*HC:99213*100~",
    ),
    (
        STAR,
        "HI",
        [[("ABK", "J020"), ("ABF", "R509")]],
        ["HI", "ABK:J020^ABF:R509"],
        "HI*ABK:J020^ABF:R509~",
    ),
    (STAR_NL, "LX", ["1"], ["LX", "1"], "LX*1~\n"),
    (PIPE, "SVC", [("HC", "99213"), "10.5"], ["SVC", "HC>99213", "10.5"], "SVC|HC>99213|10.5\n"),
    (STAR, "SE", [], ["SE"], "SE~"),
]


@pytest.mark.parametrize(("d", "seg_id", "elements", "tokens", "wire"), CASES)
def test_writer(
    d: Delimiters, seg_id: str, elements: list[Element], tokens: list[str], wire: str
) -> None:
    assert format_segment(seg_id, elements, d) == wire


@pytest.mark.parametrize(("d", "seg_id", "elements", "tokens", "wire"), CASES)
def test_reader(
    d: Delimiters, seg_id: str, elements: list[Element], tokens: list[str], wire: str
) -> None:
    tok = Tokenizer(delimiters=d)
    segs = tok.feed(wire)
    segs += tok.close()
    assert segs == [tokens]


def test_components_and_repetitions() -> None:
    assert components("HC:99213:25", STAR) == ["HC", "99213", "25"]
    assert repetitions("ABK:J020^ABF:R509", STAR) == ["ABK:J020", "ABF:R509"]
    assert repetitions("X", None) == ["X"]
