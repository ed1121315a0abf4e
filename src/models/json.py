"""JSON for the models: a cattrs converter configured for Decimal, dates and enums.

The JSON is the cattrs unstructuring of the attrs models: field names as keys, ``Decimal``
as a string (``"125.00"``, exact), ``date`` as ISO text (``"2024-03-01"``), enums as their
code, tuples as arrays. It is generic: any model of :mod:`models` goes through
:func:`to_json` / :func:`from_json` (``from_json(text, list[Claim])``).

:func:`to_plain` gives the same data as Python values before the text is made, and only plain
JSON types: ``dict`` (string keys), ``list``, ``str``, ``bool``, ``int`` and ``None`` (an enum
member, such as :class:`~models.common.AdjustmentGroup`, becomes its code as a plain ``str``;
every tuple, including a pair such as a contact number, becomes a ``list``), so
``to_plain(obj) == json.loads(to_json(obj))`` and the data can go to any JSON library, a
document store or a dataframe without a custom encoder.

Example::

    from models.json import from_json, to_json
    text = to_json(claims)                      # a list of Claim
    assert from_json(text, list[Claim]) == claims
"""

from __future__ import annotations

import datetime as _dt
import enum
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


def _plain_str(value: str) -> str:
    """A ``str`` field's value as a plain ``str`` (a ``StrEnum`` member gives its code)."""
    return value if value.__class__ is str else str.__str__(value)


def _enum_value(value: enum.Enum) -> Any:
    return value.value


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _make() -> cattrs.Converter:
    # Tuples (homogeneous or not, e.g. a contact's (qualifier, number) pair) unstructure as
    # lists; structuring turns the lists back into the tuples the models declare.
    conv = cattrs.Converter(forbid_extra_keys=True, unstruct_collection_overrides={tuple: list})
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    conv.register_structure_hook(_dt.date, _date)
    # Enum-typed fields, and str-typed fields holding a StrEnum member (the models keep codes
    # as str so a lenient reader can keep what was sent), unstructure as plain str codes.
    conv.register_unstructure_hook_func(_is_enum, _enum_value)
    conv.register_unstructure_hook(str, _plain_str)
    return conv


#: The configured converter (Decimal as string, date as ISO text, enums as their codes,
#: tuples as lists).
converter = _make()


def to_plain(obj: Any) -> Any:
    """The model as plain JSON data: only ``dict``, ``list``, ``str``, ``int``, ``bool`` and
    ``None`` (Decimal as a string, date as ISO text, enum members as their codes, tuples as
    lists); equal to ``json.loads(to_json(obj))``."""
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
    if isinstance(exc, KeyError):
        return [f"{path}: required field missing"]
    return [f"{path}: {exc}"]
