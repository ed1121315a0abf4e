"""The loop walker fed in batches (x12.loops.start_walk), as the streaming 837 readers use it.

Fed in any number of batches, the walker builds the tree and reports the issues that
:func:`x12.loops.build_tree` does on the whole list; it lists closed occurrences of the
``units`` loops with their parents; ``max_hl`` bounds the HL levels it remembers as parents,
the most recently used kept.
"""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

import edi837
from edi837 import fake
from edi837.guide_x222a1 import GUIDE as G837P
from x12.errors import IssueLog
from x12.loops import LoopNode, build_tree, start_walk
from x12.tokenizer import tokenize

TS = dt.datetime(2024, 5, 1)


def _transaction(claims: int, seed: int, every_loop: bool = False) -> list[list[str]]:
    text = edi837.dumps(
        fake.generate(claims, seed=seed, every_loop=every_loop),
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=TS,
    )
    segs = tokenize(text)
    start = next(i for i, s in enumerate(segs) if s[0] == "ST")
    end = next(i for i, s in enumerate(segs) if s[0] == "SE")
    return segs[start : end + 1]


def _shape(node: LoopNode) -> tuple[object, ...]:
    return (node.id, node.segments, tuple(_shape(c) for c in node.children))


SEGMENTS = _transaction(6, seed=11, every_loop=True)


@settings(max_examples=60, deadline=None)
@given(
    cuts=st.lists(st.integers(0, len(SEGMENTS)), max_size=8),
    edits=st.lists(
        st.tuples(st.sampled_from(["drop", "copy", "swap", "hl02"]), st.integers(), st.integers()),
        max_size=3,
    ),
)
def test_batches_build_the_same_tree_and_issues(
    cuts: list[int], edits: list[tuple[str, int, int]]
) -> None:
    segs = [list(s) for s in SEGMENTS]
    for op, a, b in edits:  # damage the body (ST and SE stay) so that issues are found
        i, j = 1 + a % (len(segs) - 2), 1 + b % (len(segs) - 2)
        if op == "drop":
            del segs[i]
        elif op == "copy":
            segs.insert(j, list(segs[i]))
        elif op == "swap":
            segs[i], segs[j] = segs[j], segs[i]
        elif segs[i][0] == "HL" and len(segs[i]) > 2:
            segs[i][2] = str(b % 15)
    whole_log = IssueLog()
    whole = build_tree(segs, G837P, component=":", log=whole_log, start_index=4)
    log = IssueLog()
    walker = start_walk(G837P, component=":", log=log, start_index=4)
    bounds = sorted({0, len(segs), *(min(c, len(segs)) for c in cuts)})
    for lo, hi in itertools.pairwise(bounds):
        walker.feed(segs[lo:hi])
        walker.feed([])  # an empty batch changes nothing
    root = walker.finish()
    assert _shape(root) == _shape(whole)
    assert log.issues == whole_log.issues


def _closing_order(
    node: LoopNode, units: set[str], parent: LoopNode | None = None
) -> list[tuple[str, str | None]]:
    """Unit loops as a well-formed file closes them: each after the loops nested in it."""
    out: list[tuple[str, str | None]] = []
    for child in node.children:
        out += _closing_order(child, units, node)
    if node.id in units:
        out.append((node.id, parent.id if parent else None))
    return out


def test_closed_units_come_with_their_parent_in_closing_order() -> None:
    units = {"2000B", "2300"}
    walker = start_walk(G837P, component=":", log=IssueLog(), units=frozenset(units))
    seen: list[tuple[str, str | None]] = []
    for seg in SEGMENTS:
        walker.feed([seg])
        seen.extend((node.id, parent.id if parent else None) for node, parent in walker.closed)
        walker.closed.clear()
    walker.finish()
    seen.extend((node.id, parent.id if parent else None) for node, parent in walker.closed)
    expected = _closing_order(build_tree(SEGMENTS, G837P, component=":", log=IssueLog()), units)
    assert seen == expected
    assert ("2300", "2000B") in seen and ("2000B", "2000A") in seen


def _hl_file(subscribers: int) -> list[list[str]]:
    """One billing provider (HL 1) and ``subscribers`` subscriber levels naming it."""
    segs = [
        ["ST", "837", "1", "005010X222A1"],
        ["BHT", "0019", "00", "1", "20200101", "1200", "CH"],
        ["NM1", "41", "2", "S", "", "", "", "", "46", "1"],
        ["PER", "IC", "X", "TE", "1"],
        ["NM1", "40", "2", "R", "", "", "", "", "46", "2"],
        ["HL", "1", "", "20", "1"],
        ["NM1", "85", "2", "B", "", "", "", "", "XX", "1"],
    ]
    for k in range(subscribers):
        segs += [
            ["HL", str(k + 2), "1", "22", "0"],
            ["SBR", "P", "18", "", "", "", "", "", "", "CI"],
            ["NM1", "IL", "1", "D", "", "", "", "", "MI", str(k)],
        ]
    return [*segs, ["SE", str(len(segs) + 1), "1"]]


def test_max_hl_keeps_the_most_recently_used_parents() -> None:
    # HL 1 is named by every subscriber level: with room for two HL levels it stays
    segs = _hl_file(20)
    log = IssueLog()
    walker = start_walk(G837P, component=":", log=log, max_hl=2)
    walker.feed(segs)
    root = walker.finish()
    assert "HL_PARENT_NOT_FOUND" not in [i.code for i in log.issues]
    assert len(list(root.iter("2000B"))) == 20
    assert len(walker.hl) == 2


def test_a_parent_forgotten_beyond_max_hl_is_reported() -> None:
    segs = _hl_file(4)
    # a fifth subscriber level names the first one (HL 2) as parent after four others
    segs.insert(-1, ["HL", "9", "2", "23", "0"])
    codes = []
    for max_hl in (None, 2):
        log = IssueLog()
        walker = start_walk(G837P, component=":", log=log, max_hl=max_hl)
        walker.feed(segs)
        walker.finish()
        codes.append([i.code for i in log.issues])
    assert "HL_PARENT_NOT_FOUND" not in codes[0]
    assert "HL_PARENT_NOT_FOUND" in codes[1]
