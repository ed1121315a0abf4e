"""models.json_text.dumps_indented: the standard library's indented text, exactly.

The judge is ``json.dumps(value, indent=n, ensure_ascii=False)`` itself: generated values of
every JSON type (unicode and control characters in strings and keys, big integers, the float
specials, tuples), the types only the standard library's path handles (subclasses of str and
int, keys that are not strings), and values json refuses, refused the same way.
"""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.json_text import dumps_indented

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=30,
)


def _expected(value: Any, indent: int, level: int) -> str:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * (indent * level))


@settings(max_examples=400)
@given(_values, st.sampled_from((0, 1, 2, 4)), st.integers(0, 3))
def test_the_text_is_json_dumps_text(value: Any, indent: int, level: int) -> None:
    assert dumps_indented(value, indent, level) == _expected(value, indent, level)


class _Code(enum.StrEnum):
    A = "a\u00e9"


class _Count(enum.IntEnum):
    ONE = 1


@pytest.mark.parametrize(
    "value",
    [
        {"code": _Code.A, "n": _Count.ONE, "nested": [{"x": _Code.A}]},
        {1: "int key", None: "none key", 2.5: "float key", False: "bool key"},
        [float("nan"), float("inf"), -float("inf"), -0.0, 1e300, 10**40],
        {"s": 'quote " backslash \\ tab \t nul \x00 line \u2028 emoji \U0001f600'},
        [[], {}, [[]], {"a": {}}, ()],
    ],
)
def test_values_off_the_fast_path_are_the_standard_librarys(value: Any) -> None:
    for indent, level in ((2, 0), (2, 3), (0, 1)):
        assert dumps_indented(value, indent, level) == _expected(value, indent, level)


def test_what_json_refuses_is_refused_the_same_way() -> None:
    from decimal import Decimal

    with pytest.raises(TypeError) as ours:
        dumps_indented({"a": [Decimal("1.5")]}, 2)
    with pytest.raises(TypeError) as theirs:
        json.dumps({"a": [Decimal("1.5")]}, indent=2)
    assert str(ours.value) == str(theirs.value)


def test_plain_data_does_not_go_to_json_dumps(monkeypatch: pytest.MonkeyPatch) -> None:
    import models.json_text as jt

    plain = {"a": [1, "x", None, True, 2.5, {"b": []}], "c": {}}
    want = json.dumps(plain, indent=2, ensure_ascii=False)

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("the fast path fell back")

    monkeypatch.setattr(jt._json, "dumps", refuse)
    assert dumps_indented(plain, 2) == want
