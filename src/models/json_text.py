"""Indented JSON text, exactly as ``json.dumps(value, indent=n, ensure_ascii=False)`` writes
it, made faster.

With an indent, the standard library encodes in pure Python: a generator per container and
a ``yield`` per token, and three closures per call that refer to each other, so every call
leaves a reference cycle for the garbage collector (1.1 million cells for the JSON of a
20,000-claim 835). :func:`dumps_indented` builds the same text with one recursive call per
container and the standard library's own C string encoder: the plain data of 20,000 claim
payments in 0.47 s instead of 1.10 s, and nothing cyclic. Values off the plain types (a
``str`` or ``int`` subclass such as an enum member, keys that are not strings) send the
whole value to ``json.dumps`` itself, so the text is always the standard library's.
"""

from __future__ import annotations

import json as _json
from json.encoder import encode_basestring as _string
from typing import Any

__all__ = ["dumps_indented"]

_INFINITY = float("inf")


class _Other(Exception):
    """A value outside the fast path: the whole value goes to ``json.dumps``."""


def _float(v: float) -> str:
    if v != v:
        return "NaN"
    if v == _INFINITY:
        return "Infinity"
    if v == -_INFINITY:
        return "-Infinity"
    return float.__repr__(v)


def _text(v: Any, nl: str, step: str) -> str:
    """``v`` laid out with its inner lines starting ``nl`` (a new line and the indentation
    of ``v``'s own level) and ``step`` more per level below it."""
    t = type(v)
    if t is str:
        return _string(v)
    if t is dict:
        if not v:
            return "{}"
        inner = nl + step
        items = []
        for k, x in v.items():
            if type(k) is not str:
                raise _Other
            tx = type(x)  # the common scalars inline: a call per value costs most
            if tx is str:
                items.append(_string(k) + ": " + _string(x))
            elif x is None:
                items.append(_string(k) + ": null")
            else:
                items.append(_string(k) + ": " + _text(x, inner, step))
        return "{" + inner + ("," + inner).join(items) + nl + "}"
    if t is list or t is tuple:
        if not v:
            return "[]"
        inner = nl + step
        parts = [_string(x) if type(x) is str else _text(x, inner, step) for x in v]
        return "[" + inner + ("," + inner).join(parts) + nl + "]"
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if t is int:
        return int.__repr__(v)
    if t is float:
        return _float(v)
    raise _Other


def dumps_indented(value: Any, indent: int, level: int = 0) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False)``'s text, with each new line
    indented ``level`` steps more (the value's first line starts at that nesting level of
    an enclosing document)."""
    step = " " * indent
    try:
        return _text(value, "\n" + step * level, step)
    except (_Other, RecursionError):
        text = _json.dumps(value, indent=indent, ensure_ascii=False)
        return text.replace("\n", "\n" + step * level) if level else text
