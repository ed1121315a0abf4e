"""edi837.element_rules: the compiled element rules agree with the rule-by-rule walk.

The writers check each typed segment with one regular expression per segment of the guide
(:func:`compile_rules`) and walk the rules (:func:`check_elements`) only when it does not
match. The expression must never pass a segment the walk refuses (soundness), and should
pass what the walk passes (else every write pays for the walk). Both are checked on every
segment of the three 837 guides with values drawn around each rule's edges: its codes,
lengths one short of the minimum and one past the maximum, R values with too many digits,
empty and missing elements, composites with missing and extra components.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edi837
from edi837 import fake
from edi837.element_rules import (
    Rule,
    SegRules,
    check_elements,
    check_text,
    compile_rules,
    composite_check_text,
)
from edi837.engine import GuideTables
from edi837.guide_x224a2 import GUIDE as DENTAL_GUIDE
from edi837.institutional_writer import _T as INSTITUTIONAL
from edi837.writer import _T as PROFESSIONAL
from x12.errors import X12WriteError

SEGMENTS: list[tuple[str, SegRules]] = sorted(
    {
        (f"{name} {loop}/{rank} {sr.rules[0].ref if sr.rules else ''}", sr)
        for name, tables in (
            ("X222A1", PROFESSIONAL),
            ("X223A2", INSTITUTIONAL),
            ("X224A2", GuideTables(DENTAL_GUIDE)),
        )
        for (loop, rank), sr in tables._rules.items()
    },
    key=lambda item: item[0],
)


def _value(r: Rule) -> st.SearchStrategy[str]:
    """Values at the edges of one simple rule."""
    lo, hi = max(r.min_len, 1), max(r.max_len, 1)
    choices: list[st.SearchStrategy[str]] = [
        st.just(""),
        st.text("AZ9 .-", min_size=lo, max_size=hi),
        st.text("AZ9", min_size=max(lo - 1, 0), max_size=max(lo - 1, 0)),
        st.text("AZ9", min_size=hi + 1, max_size=hi + 2),
        st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{0,4})?", fullmatch=True),
    ]
    if r.codes:
        codes = sorted(r.codes)
        choices += [st.sampled_from(codes)] * 3
    return st.one_of(choices)


def _element(r: Rule) -> st.SearchStrategy[Any]:
    if not r.components:
        return st.one_of(_value(r), _value(r).map(lambda v: (v,)))
    comps = [_value(c) for c in r.components]
    return st.one_of(
        st.just(""),
        comps[0],
        st.integers(1, len(comps) + 1).flatmap(
            lambda k: st.tuples(*(comps[i] if i < len(comps) else st.just("X") for i in range(k)))
        ),
    )


@st.composite
def _elements(draw: st.DrawFn, sr: SegRules) -> list[Any]:
    n = draw(st.integers(0, len(sr.rules) + 1))
    out: list[Any] = []
    for i in range(n):
        out.append(draw(_element(sr.rules[i])) if i < len(sr.rules) else draw(_value(sr.rules[-1])))
    return out


def _walk(sr: SegRules, elements: list[Any]) -> list[str]:
    found: list[str] = []
    check_elements(sr, elements, found)
    return found


def test_every_guide_segment_compiles() -> None:
    assert len(SEGMENTS) > 500
    for name, sr in SEGMENTS:
        assert compile_rules(sr).pattern, name


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_expression_agrees_with_the_walk(data: st.DataObject) -> None:
    name, sr = data.draw(st.sampled_from(SEGMENTS))
    elements = data.draw(_elements(sr))
    text = check_text(elements)
    matched = text is not None and compile_rules(sr).fullmatch(text) is not None
    problems = _walk(sr, elements)
    # sound: what the expression passes, the walk passes
    assert not (matched and problems), (name, elements, problems)
    # complete for plain values: a segment the walk passes does not need the walk. (A value
    # for a non-composite rule given as a one-tuple, or a composite not used by the guide
    # given as one string, are passed by the walk but sent to it by the expression.)
    simple = all(
        not isinstance(v, tuple) or (i < len(sr.rules) and sr.rules[i].components)
        for i, v in enumerate(elements)
    ) and all(
        not (i < len(sr.rules) and sr.rules[i].components and sr.rules[i].usage == "N") or not v
        for i, v in enumerate(elements)
    )
    if simple and text is not None:
        assert matched == (not problems), (name, elements, problems)


def test_values_that_cannot_be_check_text_go_to_the_walk() -> None:
    assert check_text([]) is None
    assert check_text(["A", ["R1", "R2"]]) is None  # repetitions
    assert check_text(["A\x1cB"]) is None  # would look like two elements
    assert check_text(["A\x1fB"]) is None
    assert check_text([("A\x1fB", "C")]) is None
    assert check_text([("A", "B"), "C"]) == "A\x1fB\x1cC"


@pytest.mark.parametrize(
    "elements",
    [
        [("A", "B"), "C"],
        ["A", ("B",), ("C", "", "D")],
        ["A", ["R1", "R2"]],  # a repetition: none
        [("A\x1fB", "C")],  # a component holding the separator: none
        [("A", "B\x1cC")],  # a component holding the element separator: none
        [("A", 1)],  # not text: none
        ["A", ("B", "C"), "D\x1cE"],
    ],
)
def test_the_writer_s_composite_shortcut_is_check_text(elements: list[object]) -> None:
    """The writer calls composite_check_text once its join of plain values failed: the same
    text (or None) as check_text."""
    assert composite_check_text(elements) == check_text(elements)


def test_a_bad_value_is_still_named_by_the_walk() -> None:
    claims = fake.generate(2, seed=5)
    broken = attrs.evolve(claims[0], assignment="Q")  # CLM07: not one of the guide's codes
    with pytest.raises(X12WriteError) as err:
        edi837.dumps(
            [broken, claims[1]],
            submitter=fake.submitter(),
            receiver=fake.receiver(),
            timestamp=dt.datetime(2024, 5, 1),
        )
    assert "CLM07 is not one of the guide's codes (loop 2300)" in str(err.value)
