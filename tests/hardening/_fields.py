"""Every string field of a model tree, by field path, and a way to replace one."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Any

import attrs

Path = tuple[str | int, ...]


def string_fields(obj: Any, path: Path = ()) -> Iterator[Path]:
    """Paths (attribute names and tuple indexes) of every non-empty plain ``str`` value."""
    if attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            yield from string_fields(getattr(obj, f.name), (*path, f.name))
    elif isinstance(obj, (tuple, list)):
        for i, item in enumerate(obj):
            yield from string_fields(item, (*path, i))
    elif isinstance(obj, str) and not isinstance(obj, enum.Enum) and obj:
        yield path


def replace(obj: Any, path: Path, value: Any) -> Any:
    """``obj`` with the value at ``path`` replaced (frozen attrs objects are evolved)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(obj)
        items[head] = replace(items[head], rest, value)
        return type(obj)(items)
    return attrs.evolve(obj, **{head.lstrip("_"): replace(getattr(obj, head), rest, value)})


def dotted(path: Path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out.lstrip(".")
