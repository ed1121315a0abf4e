"""The guide's element rules for the 837 writers, and their compiled form.

A writer checks every typed segment it writes against the guide's table: usage (an element
the guide requires must be there, one it marks not used must be empty), closed code lists
(NM101, DTP01, CLM05-2 ...), and the minimum/maximum lengths of AN and ID values (R values:
at most max_len digits). :func:`check_elements` walks the rules and says, element by element,
what is wrong; it is exact, and slow for a 400,000-segment 837.

:func:`compile_rules` turns one segment's rules into one regular expression that matches the
*check text* of exactly the segments the walk finds nothing wrong with (its elements joined
with ``\\x1c``, a composite's components with ``\\x1f``; see :func:`check_text`). A writer asks
the expression first (one match, in C) and walks the rules only for a segment it does not
match, to name what is wrong. The expression is sound by construction: it never matches a
segment the walk would refuse (``tests/edi837/test_element_rules.py`` checks this on every
segment of the three guides with generated values). A segment it cannot put in check text
(repetitions, a value holding ``\\x1c`` or ``\\x1f``) goes to the walk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from x12.guide import ElementRule, SegmentSpec

__all__ = [
    "COMPONENT",
    "ELEMENT",
    "Rule",
    "SegRules",
    "check_elements",
    "check_text",
    "compile_rules",
    "composite_check_text",
    "rules_of",
]

Element = Any  # str | tuple[str, ...] | list[str | tuple[str, ...]]

ELEMENT = "\x1c"  #: element separator of the check text (a control character: never data)
COMPONENT = "\x1f"  #: component separator of the check text

_TEXT = ("AN", "ID")


#: One element (or component) of a segment in the guide: ``NM103``, ``CLM05-2``.
Rule = ElementRule


class SegRules(NamedTuple):
    """A segment's element rules and the position of its last required element."""

    rules: tuple[Rule, ...]
    last_required: int


def rules_of(spec: SegmentSpec) -> SegRules:
    """The rules of one segment of the guide's table."""
    rules = tuple(e.rule(i) for i, e in enumerate(spec.elements, 1))
    last = max((r.position for r in rules if r.usage == "R"), default=0)
    return SegRules(rules, last)


# --------------------------------------------------------------------------- the walk
def check_elements(sr: SegRules, elements: Sequence[Element], out: list[str]) -> None:
    """Append to ``out`` what is wrong with ``elements`` (str, composite tuple, or a list of
    repetitions of which the first is checked) under ``sr``; nothing when all is well.
    Elements and components beyond the rules are not checked."""
    n = len(elements)
    last = sr.last_required
    for r in sr.rules:
        pos = r.position
        if pos > n:
            if pos > last:
                break
            if r.usage == "R":
                out.append(f"{r.ref} is required by the guide")
            continue
        v = elements[pos - 1]
        if isinstance(v, list):  # repetitions: check the first
            v = v[0] if v else ""
        if isinstance(v, tuple):
            if not any(v):
                if r.usage == "R":
                    out.append(f"{r.ref} is required by the guide")
            elif r.usage == "N":
                out.append(f"{r.ref} is not used by the guide")
            else:
                _check_values(r.components, v, out)
            continue
        if not r.components:
            _check_value(r, v, out)
        elif v:  # a composite written as one value: its first component
            _check_values(r.components, (v,), out)
        elif r.usage == "R":
            out.append(f"{r.ref} is required by the guide")


def _check_values(rules: Sequence[Rule], values: Sequence[str], out: list[str]) -> None:
    n = len(values)
    for r in rules:
        _check_value(r, values[r.position - 1] if r.position <= n else "", out)


def _check_value(r: Rule, v: str, out: list[str]) -> None:
    if not v:
        if r.usage == "R":
            out.append(f"{r.ref} is required by the guide")
        return
    if r.usage == "N":
        out.append(f"{r.ref} is not used by the guide")
    elif r.codes and v not in r.codes:
        out.append(f"{r.ref} is not one of the guide's codes")
    elif r.data_type in _TEXT and not r.min_len <= len(v) <= r.max_len:
        out.append(f"{r.ref} must be {r.min_len}-{r.max_len} characters")
    elif r.data_type == "R" and len(v.replace(".", "").replace("-", "")) > r.max_len:
        out.append(f"{r.ref} has more than {r.max_len} digits")


# --------------------------------------------------------------------------- compiled
_E, _C = ELEMENT, COMPONENT
_CHAR = f"[^{_E}{_C}]"  # one character of a value
_NEVER = "(?!)"


def _nonempty(r: Rule) -> str | None:
    """The non-empty values :func:`_check_value` accepts for ``r`` (None: there are none)."""
    if r.usage == "N":
        return None
    if r.codes:
        codes = sorted((c for c in r.codes if c), key=lambda c: (-len(c), c))
        if not codes:
            return None
        return "(?:" + "|".join(re.escape(c) for c in codes) + ")"
    if r.data_type in _TEXT:
        lo, hi = max(r.min_len, 1), r.max_len
        return None if lo > hi else f"{_CHAR}{{{lo},{hi}}}"
    if r.data_type == "R":  # at most max_len characters other than "." and "-"
        return f"(?=[^{_E}{_C}])[.\\-]*(?:[^.\\-{_E}{_C}][.\\-]*){{0,{r.max_len}}}"
    return f"{_CHAR}+"


def _value(r: Rule) -> str:
    """A whole value of a simple rule, empty included when the rule allows it."""
    ne = _nonempty(r)
    if r.usage == "R":
        return _NEVER if ne is None else ne
    return "" if ne is None else f"(?:{ne})?"


def _composite(r: Rule) -> str:
    """A composite element's text (components joined by :data:`COMPONENT`)."""
    blank = f"{_C}*"  # no component has a value
    if r.usage == "N":
        return blank
    comps = r.components
    # the components after the last rule are not checked
    tail = f"(?:{_C}[^{_E}]*)?"
    for k in range(len(comps) - 1, 0, -1):
        optional = all(c.usage != "R" for c in comps[k:])
        tail = f"(?:{_C}{_value(comps[k])}{tail})" + ("?" if optional else "")
    body = _value(comps[0]) + tail
    if r.usage == "R":
        return f"(?={_C}*[^{_E}{_C}])(?:{body})"
    return f"(?:{blank}|{body})"


def compile_rules(sr: SegRules) -> re.Pattern[str]:
    """One expression for a segment's check text: it matches only when
    :func:`check_elements` finds nothing wrong (see the module's docstring)."""
    parts = [_composite(r) if r.components else _value(r) for r in sr.rules]
    tail = f"(?:{_E}[^{_E}]*)*"  # elements after the last rule are not checked
    for k in range(len(parts) - 1, 0, -1):
        optional = all(r.usage != "R" for r in sr.rules[k:])
        tail = f"(?:{_E}{parts[k]}{tail})" + ("?" if optional else "")
    first = parts[0] if parts else ""
    if parts and sr.rules[0].usage != "R":
        first = f"(?:{first})?"
    return re.compile(first + tail)


def check_text(elements: Sequence[Element]) -> str | None:
    """The check text of a segment's elements; None when it has none (repetitions, a value
    holding :data:`ELEMENT` or :data:`COMPONENT`, no elements)."""
    if not elements:
        return None
    try:
        text = _E.join(elements)
        if _C in text:
            return None
    except TypeError:  # composites (tuples) or repetitions (lists)
        return composite_check_text(elements)
    if text.count(_E) != len(elements) - 1:
        return None
    return text


def composite_check_text(elements: Sequence[Element]) -> str | None:
    """:func:`check_text` of elements that are not all plain values (composites as tuples;
    a repetition, a list, has none): for a caller whose join of the plain values already
    failed, so that it does not fail twice."""
    parts: list[str] = []
    seps = 0
    for v in elements:
        if v.__class__ is tuple:
            try:
                parts.append(_C.join(v))
            except TypeError:
                return None
            seps += len(v) - 1
        elif isinstance(v, str):
            parts.append(v)
        else:
            return None
    text = _E.join(parts)
    if text.count(_C) != seps or text.count(_E) != len(elements) - 1:
        return None
    return text
