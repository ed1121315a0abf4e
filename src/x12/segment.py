"""Reading and writing single segments.

A segment read is a ``list[str]``: the segment id, then each element's raw text (composites
and repetitions still joined). A segment to write is a sequence whose items are a ``str``
(simple element), a ``tuple[str, ...]`` (a composite: its components) or a ``list`` of those
(repetitions, joined by ISA11). The writer trims empty trailing elements and components, and
refuses any value that contains one of the interchange's delimiters: X12 has no escaping, so a
name like ``O*NEIL~`` would otherwise forge elements and segments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from x12.delimiters import Delimiters

__all__ = [
    "Element",
    "UnsafeValue",
    "components",
    "element",
    "format_segment",
    "format_segments",
    "repetitions",
    "unsafe_reason",
]

Component = str
Composite = tuple[str, ...]
Element = str | Composite | list[str | Composite]


def element(seg: Sequence[str], index: int) -> str:
    """Element ``index`` (1-based, as in CLP02) of a read segment, ``""`` when absent."""
    return seg[index] if index < len(seg) else ""


def components(value: str, delimiters: Delimiters | str) -> list[str]:
    """The components of a composite element's raw text (``"HC:99213:25"``)."""
    sep = delimiters if isinstance(delimiters, str) else delimiters.component
    return value.split(sep)


def repetitions(value: str, delimiters: Delimiters | str | None) -> list[str]:
    """The repetitions of a repeating element's raw text (split by ISA11)."""
    sep = delimiters if isinstance(delimiters, str | None) else delimiters.repetition
    if not sep:
        return [value]
    return value.split(sep)


class UnsafeValue(ValueError):
    """A value holds a delimiter or control character; ``reason`` says which (no value)."""

    def __init__(self, reason: str, element: int, component: int | None = None) -> None:
        self.reason = reason
        self.element = element
        self.component = component
        super().__init__(reason)


def unsafe_reason(value: str, delimiters: Delimiters) -> str | None:
    """Why ``value`` cannot be written as X12 data, or ``None`` when it can."""
    for ch in delimiters.characters:
        if ch in value:
            name = {
                delimiters.element: "element separator",
                delimiters.component: "component separator",
                delimiters.segment: "segment terminator",
            }.get(ch, "repetition separator")
            return f"contains the {name} {ch!r}"
    if any(ch < " " or "\x7f" <= ch <= "\x9f" or ch in _LINE_SEPARATORS for ch in value):
        return "contains a control character (line break, tab or other non-printing character)"
    return None


# Unicode's line and paragraph separators: not X12 data, and a line break to any tool that
# splits text the way Python's str.splitlines does (as NEL, U+0085, a C1 control, is).
_LINE_SEPARATORS = "\u2028\u2029"


def _check(value: str, delimiters: Delimiters, elem: int, comp: int | None) -> None:
    reason = unsafe_reason(value, delimiters)
    if reason is not None:
        raise UnsafeValue(reason, elem, comp)


_BAD_CACHE: dict[Delimiters, re.Pattern[str]] = {}
_LAST_BAD: list[Any] = [None, None]  # (delimiters, pattern) of the last call: one `is` test


def _bad_pattern(delimiters: Delimiters) -> re.Pattern[str]:
    if _LAST_BAD[0] is delimiters:
        pat: re.Pattern[str] = _LAST_BAD[1]
        return pat
    found = _BAD_CACHE.get(delimiters)
    if found is None:
        chars = "".join(re.escape(ch) for ch in sorted(delimiters.characters))
        found = re.compile(f"[{chars}\x00-\x1f\x7f-\x9f{_LINE_SEPARATORS}]")
        _BAD_CACHE[delimiters] = found
    _LAST_BAD[0], _LAST_BAD[1] = delimiters, found
    return found


def format_segment(seg_id: str, elements: Sequence[Element], delimiters: Delimiters) -> str:
    """One segment's text, terminator and line break included.

    Raises :class:`UnsafeValue` (with the 1-based element and component) when a value holds
    a delimiter or a control character; the caller turns it into an error naming the field.

    Fast path: every value of the segment is checked with one regular-expression search over
    their concatenation (C speed); only a segment that fails is walked value by value to say
    which element (and component) is at fault. A segment of plain strings (most) is joined
    in C without a Python loop over its elements.
    """
    sep = delimiters.element
    try:
        raw = "".join(elements)  # type: ignore[arg-type]  # TypeError: composites, repeats
    except TypeError:
        return _format_composites(seg_id, elements, delimiters)
    if _bad_pattern(delimiters).search(raw) is not None:
        return _format_checked(seg_id, elements, delimiters)
    # Trailing empty elements are dropped: no value holds a separator (checked above), so
    # stripping separators off the end removes exactly those.
    text = (seg_id + sep + sep.join(elements)).rstrip(sep)  # type: ignore[arg-type]
    return text + delimiters.segment + delimiters.line_break


def format_segments(
    segments: Sequence[tuple[str, Sequence[Element]]],
    delimiters: Delimiters,
    out: list[str],
    start: int = 0,
) -> int:
    """:func:`format_segment` of ``segments[start:]`` appended to ``out``, up to the first
    refused one: returns its index (``len(segments)`` when none is refused).

    The loop a writer spends its time in: :func:`format_segment`'s fast path (one search in
    C over a segment of plain values, one join) is inlined here.
    """
    bad = _bad_pattern(delimiters).search
    sep = delimiters.element
    end = delimiters.segment + delimiters.line_break
    append = out.append
    n = len(segments)
    for i in range(start, n):
        sid, elems = segments[i]
        try:
            try:
                raw = "".join(elems)  # type: ignore[arg-type]  # TypeError: composites, repeats
            except TypeError:
                append(_format_composites(sid, elems, delimiters))
                continue
            if bad(raw) is None:
                append((sid + sep + sep.join(elems)).rstrip(sep) + end)  # type: ignore[arg-type]
            else:  # a value holds a delimiter or a control character: say which
                append(_format_checked(sid, elems, delimiters))
        except UnsafeValue:
            return i
    return n


def _format_composites(seg_id: str, elements: Sequence[Element], delimiters: Delimiters) -> str:
    """:func:`format_segment` for a segment with composites (tuples) or repeats (lists)."""
    out: list[str] = []
    raw: list[str] = []
    comp_sep = delimiters.component
    for item in elements:
        if item.__class__ is tuple:
            raw.append("".join(item))
            # Trailing empty components dropped (no value holds a separator: checked below).
            out.append(comp_sep.join(item).rstrip(comp_sep))
        elif isinstance(item, str):  # str, or a str enum member
            out.append(item)
            raw.append(item)
        else:  # repetitions (rare): the careful path
            return _format_checked(seg_id, elements, delimiters)
    if _bad_pattern(delimiters).search("".join(raw)) is not None:
        return _format_checked(seg_id, elements, delimiters)
    sep = delimiters.element
    text = (seg_id + sep + sep.join(out)).rstrip(sep)
    return text + delimiters.segment + delimiters.line_break


def _format_checked(seg_id: str, elements: Sequence[Element], delimiters: Delimiters) -> str:
    """:func:`format_segment` value by value: raises :class:`UnsafeValue` at the first bad one."""
    out: list[str] = []
    for i, item in enumerate(elements, 1):
        if isinstance(item, str):
            if item:
                _check(item, delimiters, i, None)
            out.append(item)
        elif isinstance(item, tuple):
            out.append(_composite(item, delimiters, i))
        else:
            out.append(_repeated(item, delimiters, i))
    while out and not out[-1]:
        out.pop()
    text = delimiters.element.join([seg_id, *out]) if out else seg_id
    return text + delimiters.segment + delimiters.line_break


def _repeated(items: list[str | Composite], delimiters: Delimiters, elem: int) -> str:
    if delimiters.repetition is None and len(items) > 1:
        raise UnsafeValue("repeats, but the interchange has no repetition separator", elem)
    parts: list[str] = []
    for r in items:
        if isinstance(r, tuple):
            parts.append(_composite(r, delimiters, elem))
        else:
            if r:
                _check(r, delimiters, elem, None)
            parts.append(r)
    while parts and not parts[-1]:
        parts.pop()
    return (delimiters.repetition or "").join(parts)


def _composite(comps: Composite, delimiters: Delimiters, elem: int) -> str:
    parts = list(comps)
    for j, comp in enumerate(parts, 1):
        if comp:
            _check(comp, delimiters, elem, j)
    while parts and not parts[-1]:
        parts.pop()
    return delimiters.component.join(parts)
