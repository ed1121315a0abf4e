"""JSON for the models: a cattrs converter configured for Decimal, dates and enums.

The JSON is the cattrs unstructuring of the attrs models: field names as keys, ``Decimal``
as a string (``"125.00"``, exact), ``date`` as ISO text (``"2024-03-01"``), enums as their
code, tuples as arrays. It is generic: any model of :mod:`models` goes through
:func:`to_json` / :func:`from_json` (``from_json(text, list[Claim])``).
"""

from __future__ import annotations

import datetime as _dt
import json as _json
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import cattrs

__all__ = ["converter", "from_json", "to_json", "to_plain"]

T = TypeVar("T")


def _decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("expected a number or a numeric string")
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError("not a number") from None
    return result


def _date(value: Any, _: Any) -> _dt.date:
    if not isinstance(value, str):
        raise ValueError("expected an ISO date string (YYYY-MM-DD)")
    return _dt.date.fromisoformat(value)


def _make() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    conv.register_structure_hook(_dt.date, _date)
    return conv


#: The configured converter (Decimal as string, date as ISO text).
converter = _make()


def to_plain(obj: Any) -> Any:
    """The model as plain JSON-ready data (dicts, lists, strings, numbers, booleans)."""
    return converter.unstructure(obj)


def to_json(obj: Any, *, indent: int | None = 2) -> str:
    """The model (or a list of models) as JSON text."""
    return _json.dumps(to_plain(obj), indent=indent, ensure_ascii=False)


def from_json(text: str | bytes, cls: Any) -> Any:
    """Models from JSON text: ``from_json(text, list[Claim])``.

    Raises :class:`ValueError` (a ``cattrs`` class validation error, itself a ``ValueError``
    subclass through :class:`ExceptionGroup` notes, is re-raised as a ValueError naming each
    path) when the text does not describe ``cls``.
    """
    try:
        data = _json.loads(text)
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    try:
        return converter.structure(data, cls)
    except Exception as exc:  # cattrs raises ClassValidationError / IterableValidationError
        messages = _flatten(exc, "$")
        raise ValueError("; ".join(messages) or str(exc)) from None


def _flatten(exc: BaseException, path: str) -> list[str]:
    if isinstance(exc, BaseExceptionGroup):
        out: list[str] = []
        for sub in exc.exceptions:
            note = next((n for n in getattr(sub, "__notes__", ()) if isinstance(n, str)), "")
            where = path
            name = getattr(note, "name", None)
            idx = getattr(note, "index", None)
            if isinstance(name, str):
                where = f"{path}.{name}"
            elif isinstance(idx, int):
                where = f"{path}[{idx}]"
            out.extend(_flatten(sub, where))
        return out
    return [f"{path}: {exc}"]
