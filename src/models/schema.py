"""JSON Schema (draft 2020-12) for the JSON the models give through :mod:`models.json`.

The schemas are derived from the attrs classes themselves, so they follow the models: one
``$defs`` entry per class (its docstring as the description, each field's guide comment as
the field's description), ``Decimal`` as a numeric string, ``date`` as ``YYYY-MM-DD``, a
closed ``StrEnum`` as its codes, tuples as arrays, ``None`` as ``null``. Every field is
listed; fields without a default are ``required``; no other key is allowed (the converter
forbids extra keys).

Two documents ship in ``models/schemas/`` (regenerate with ``python tools/gen_json_schema.py``;
the test suite checks the shipped files are current):

``claims.schema.json``
    a :class:`~models.claim.Claim`, a list of claims, a :class:`~models.claim.Submission`
    or a list of submissions.
``remittance.schema.json``
    a :class:`~models.remittance.Remittance` or a list of remittances (what
    ``edi835 to-json`` writes).

:func:`load_schema` reads a shipped schema; :func:`claims_schema` / :func:`remittance_schema`
build them afresh.
"""

from __future__ import annotations

import datetime as _dt
import enum
import importlib.resources
import inspect
import json
import re
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "SCHEMA_FILES",
    "claims_schema",
    "load_schema",
    "remittance_schema",
    "schema_for",
    "schema_text",
]

#: Shipped schema file name -> builder name.
SCHEMA_FILES = {
    "claims.schema.json": "claims_schema",
    "remittance.schema.json": "remittance_schema",
}

_BASE_ID = "https://x12-claims.invalid/schemas/"
_DECIMAL = {
    "type": "string",
    "description": 'An exact decimal number as text (Python Decimal), e.g. "125.00".',
    "pattern": r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$",
}
_DATE = {
    "type": "string",
    "description": "A calendar date, ISO 8601 (YYYY-MM-DD).",
    "format": "date",
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
}
_FIELD_COMMENT = re.compile(r"^\s+(\w+)\s*:[^#]*#\s*(.+?)\s*$")


def _field_comments(cls: type) -> dict[str, str]:
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    out: dict[str, str] = {}
    for line in source.splitlines():
        m = _FIELD_COMMENT.match(line)
        if m and m.group(1) not in out:
            out[m.group(1)] = m.group(2)
    return out


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}
        self.names: dict[type, str] = {}

    def _name(self, cls: type) -> str:
        if cls in self.names:
            return self.names[cls]
        name = cls.__name__
        if name in self.defs or name in self.names.values():
            name = f"{cls.__module__.rsplit('.', 1)[-1]}.{name}"
        self.names[cls] = name
        return name

    def ref(self, tp: Any) -> dict[str, Any]:
        return self.schema(tp)

    def schema(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is type(None):
            return {"type": "null"}
        if origin in (typing.Union, types.UnionType):
            options = [self.schema(a) for a in args]
            return {"anyOf": options}
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.schema(args[0])}
            if not args:
                return {"type": "array"}
            return {
                "type": "array",
                "prefixItems": [self.schema(a) for a in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        if origin in (list, typing.Sequence) or tp is list:
            return {"type": "array", "items": self.schema(args[0]) if args else {}}
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is Decimal:
            self.defs.setdefault("Decimal", dict(_DECIMAL))
            return {"$ref": "#/$defs/Decimal"}
        if tp is _dt.date:
            self.defs.setdefault("Date", dict(_DATE))
            return {"$ref": "#/$defs/Date"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            name = self._name(tp)
            if name not in self.defs:
                self.defs[name] = {
                    "type": "string",
                    "description": inspect.cleandoc(tp.__doc__ or name),
                    "enum": [m.value for m in tp],
                }
            return {"$ref": f"#/$defs/{name}"}
        if isinstance(tp, type) and attrs.has(tp):
            name = self._name(tp)
            if name not in self.defs:
                self.defs[name] = {}  # placeholder against recursion
                self.defs[name] = self._attrs(tp)
            return {"$ref": f"#/$defs/{name}"}
        raise TypeError(f"no JSON Schema mapping for {tp!r}")

    def _attrs(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        comments = _field_comments(cls)
        props: dict[str, Any] = {}
        required: list[str] = []
        for f in attrs.fields(cls):
            sub = self.schema(hints[f.name])
            if f.name in comments:
                sub = {**sub, "description": comments[f.name]}
            props[f.name] = sub
            if f.default is attrs.NOTHING:
                required.append(f.name)
        out: dict[str, Any] = {
            "type": "object",
            "description": inspect.cleandoc(cls.__doc__ or cls.__name__),
            "properties": props,
            "additionalProperties": False,
        }
        if required:
            out["required"] = required
        return out


def schema_for(
    roots: list[Any], *, title: str, schema_id: str, description: str = ""
) -> dict[str, Any]:
    """A JSON Schema whose document is one of ``roots``: each root a class (one object) or
    ``list[cls]`` (an array of them)."""
    b = _Builder()
    options = [b.schema(r) for r in roots]
    doc: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _BASE_ID + schema_id,
        "title": title,
    }
    if description:
        doc["description"] = description
    doc["anyOf"] = options
    doc["$defs"] = dict(sorted(b.defs.items()))
    return doc


def claims_schema() -> dict[str, Any]:
    """The schema of claim JSON: a Claim, a list of claims, a Submission or a list of them."""
    from models.claim import Claim, Submission

    return schema_for(
        [list[Claim], Claim, list[Submission], Submission],
        title="x12-claims professional claims",
        schema_id="claims.schema.json",
        description="Claims as models.json writes them: the attrs models' fields; money as "
        "decimal strings, dates as YYYY-MM-DD.",
    )


def remittance_schema() -> dict[str, Any]:
    """The schema of remittance JSON: a Remittance or a list of remittances."""
    from models.remittance import Remittance

    return schema_for(
        [list[Remittance], Remittance],
        title="x12-claims remittances (835)",
        schema_id="remittance.schema.json",
        description="Remittances as models.json (and edi835 to-json) writes them: the attrs "
        "models' fields; money as decimal strings, dates as YYYY-MM-DD.",
    )


def schema_text(name: str) -> str:
    """The exact text of the shipped file ``name`` as the generator writes it."""
    builder = globals()[SCHEMA_FILES[name]]
    return json.dumps(builder(), indent=2, ensure_ascii=False) + "\n"


def load_schema(name: str) -> dict[str, Any]:
    """A shipped schema: ``load_schema("claims")`` or ``load_schema("remittance")``."""
    file = name if name.endswith(".json") else f"{name}.schema.json"
    if file not in SCHEMA_FILES:
        raise ValueError(f"unknown schema {name!r}; one of {sorted(SCHEMA_FILES)}")
    text = importlib.resources.files("models").joinpath("schemas", file).read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result
