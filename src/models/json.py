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
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import IO, Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from models.json_text import dumps_indented

__all__ = [
    "JsonLayout",
    "JsonObject",
    "converter",
    "from_json",
    "keys_around",
    "to_json",
    "to_plain",
    "write_json_array",
    "write_json_items",
]

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
    """The model (or a list of models) as JSON text (``json.dumps``' text; indented by
    :func:`models.json_text.dumps_indented`, which makes it faster)."""
    plain = to_plain(obj)
    if indent is None:
        return _json.dumps(plain, ensure_ascii=False)
    return dumps_indented(plain, indent)


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


# --------------------------------------------------------------------------- streamed
class JsonLayout:
    """How ``json.dumps(..., indent=indent)`` lays a value out at a nesting level: for
    writing one document a part at a time with the text :func:`to_json` gives the whole."""

    def __init__(self, indent: int | None) -> None:
        self.indent = indent
        #: between items: "," then a new line (indented), or ", " on one line
        self.sep = "," if indent is not None else ", "

    def nl(self, level: int) -> str:
        """A new line indented to ``level`` ("" on one line)."""
        return "" if self.indent is None else "\n" + " " * (self.indent * level)

    def value(self, plain: Any, level: int) -> str:
        """``plain`` as ``json.dumps`` writes it where its first line starts at ``level``."""
        if self.indent is None:
            return _json.dumps(plain, ensure_ascii=False)
        return dumps_indented(plain, self.indent, level)

    def key(self, name: str) -> str:
        return _json.dumps(name, ensure_ascii=False) + ": "


class JsonObject:
    """A JSON object written key by key, with one list member streamed item by item."""

    def __init__(self, fp: IO[str], lay: JsonLayout, level: int) -> None:
        self.fp, self.lay, self.level = fp, lay, level
        self.keys = 0
        self.items = -1  # items of the streamed list (-1: not open)

    def member(self, name: str, plain: Any) -> None:
        lay = self.lay
        self.fp.write(
            ("{" if not self.keys else lay.sep)
            + lay.nl(self.level + 1)
            + lay.key(name)
            + lay.value(plain, self.level + 1)
        )
        self.keys += 1

    def members(self, plain: dict[str, Any], names: list[str]) -> None:
        for name in names:
            self.member(name, plain[name])

    def open_list(self, name: str) -> None:
        lay = self.lay
        self.fp.write(("{" if not self.keys else lay.sep) + lay.nl(self.level + 1) + lay.key(name))
        self.keys += 1
        self.items = 0

    def item_start(self) -> int:
        """Begin the streamed list's next item; the level its text starts at."""
        self.fp.write(("[" if not self.items else self.lay.sep) + self.lay.nl(self.level + 2))
        self.items += 1
        return self.level + 2

    def close_list(self) -> None:
        self.fp.write("[]" if not self.items else self.lay.nl(self.level + 1) + "]")
        self.items = -1

    def close(self) -> None:
        self.fp.write("{}" if not self.keys else self.lay.nl(self.level) + "}")


def keys_around(plain: dict[str, Any], name: str) -> tuple[list[str], list[str]]:
    """The keys of ``plain`` before and after ``name``."""
    keys = list(plain)
    k = keys.index(name)
    return keys[:k], keys[k + 1 :]


def write_json_array(
    items: Iterable[Any], fp: IO[str], *, stream: str | None = None, indent: int | None = 2
) -> int:
    """Write ``items`` (models) to ``fp`` as ``to_json(list(items), indent=indent)`` writes
    them, converting one at a time (an iterator of items is never held whole); with
    ``stream``, each item's field of that name (a tuple of models: a submission's
    ``claims``) converted element by element too. Returns how many items were written."""

    def write(item: Any, lay: JsonLayout) -> None:
        if stream is None:
            fp.write(lay.value(to_plain(item), 1))
        else:
            _write_streamed(item, stream, fp, lay)

    return write_json_items(items, fp, write, indent=indent)


def write_json_items(
    items: Iterable[T], fp: IO[str], write: Callable[[T, JsonLayout], None], *, indent: int | None
) -> int:
    """A JSON array written an item at a time: ``write(item, layout)`` writes one item's text
    where its first line starts at level 1 (``json.dumps``' layout for ``indent``). Returns
    how many items were written."""
    lay = JsonLayout(indent)
    count = 0
    for item in items:
        fp.write(("[" if not count else lay.sep) + lay.nl(1))
        write(item, lay)
        count += 1
    fp.write("[]" if not count else lay.nl(0) + "]")
    return count


def _write_streamed(item: Any, name: str, fp: IO[str], lay: JsonLayout) -> None:
    hook = _omitting(type(item), name)
    plain = hook(item)  # every field but ``name``, in field order
    names = [f.name for f in attrs.fields(type(item))]
    k = names.index(name)
    obj = JsonObject(fp, lay, 1)
    obj.members(plain, [n for n in names[:k] if n in plain])
    obj.open_list(name)
    for element in getattr(item, name):
        fp.write(lay.value(to_plain(element), obj.item_start()))
    obj.close_list()
    obj.members(plain, [n for n in names[k + 1 :] if n in plain])
    obj.close()


_OMITTING: dict[tuple[type, str], Any] = {}


def _omitting(cls: type, name: str) -> Any:
    """The converter's unstructure function for ``cls`` without field ``name``."""
    fn = _OMITTING.get((cls, name))
    if fn is None:
        omit: dict[str, Any] = {name: override(omit=True)}
        fn = _OMITTING[(cls, name)] = make_dict_unstructure_fn(cls, converter, **omit)
    return fn
