"""Fast positional constructors for frozen slotted attrs models, for readers.

A reader that has already checked every value it puts in a model does not need the attrs
validators and converters, and a frozen class's ``__init__`` sets each field through
``object.__setattr__`` (a C call with its arguments packed in a tuple: about as costly as the
rest of building a big model). :func:`fast_constructor` returns a callable taking every field
positionally, in declaration order, that builds a genuine instance of the class:

* a private subclass with no slots of its own and the ordinary ``__setattr__`` is
  instantiated, so its generated ``__init__`` stores each field with a plain attribute
  store (specialised by the interpreter to a direct slot write);
* the instance's ``__class__`` is then set to the model class (allowed: the layouts are
  identical), so what the caller gets is exactly what ``cls(...)`` would have made: the same
  type, equality, hash, repr, pickling and JSON.

Where that switch is refused (an interpreter without ``__class__`` assignment for these
layouts), the constructor falls back to writing the slots through their descriptors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["fast_constructor", "unchecked_constructor"]

_C = TypeVar("_C")


def _fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    found: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return found


def _field_names(cls: type[Any]) -> list[str]:
    return [f.name for f in _fields(cls)]


def _subclass_constructor(cls: type[_C]) -> Callable[..., _C]:
    names = _field_names(cls)
    args = ", ".join(names)
    body = "".join(f"    self.{n} = {n}\n" for n in names)
    ns: dict[str, Any] = {"C": cls}
    exec(f"def __init__(self, {args}):\n{body}    self.__class__ = C\n", ns)
    return _builder(f"_Building{cls.__name__}", cls, ns["__init__"])


def _builder(name: str, cls: type[_C], init: Callable[..., None]) -> type[_C]:
    """A subclass of ``cls`` with no slots of its own, the ordinary attribute store and
    ``init`` (which ends by setting ``__class__`` to ``cls``)."""
    return type(
        name,
        (cls,),
        {
            "__slots__": (),
            "__init__": init,
            # Both, so the type's attribute-store slot is the generic one again.
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": __name__,
        },
    )


def _descriptor_constructor(cls: type[_C]) -> Callable[..., _C]:
    names = _field_names(cls)
    ns: dict[str, Any] = {"new": object.__new__, "C": cls}
    body = []
    for i, n in enumerate(names):
        ns[f"s{i}"] = getattr(cls, n).__set__
        body.append(f"    s{i}(o, {n})\n")
    exec(f"def make({', '.join(names)}):\n    o = new(C)\n{''.join(body)}    return o\n", ns)
    make: Callable[..., _C] = ns["make"]
    return make


def fast_constructor(cls: type[_C]) -> Callable[..., _C]:
    """A positional constructor for the frozen slotted attrs class ``cls`` that skips
    validators and converters (every field, in declaration order)."""
    fields = _fields(cls)
    try:
        fast = _subclass_constructor(cls)
        values = [object() for _ in fields]
        probe = fast(*values)
        if type(probe) is not cls or any(
            getattr(probe, f.name) is not v for f, v in zip(fields, values, strict=True)
        ):
            return _descriptor_constructor(cls)  # pragma: no cover - the switch was ignored
    except TypeError:  # pragma: no cover - __class__ assignment refused
        return _descriptor_constructor(cls)
    return fast


_UNSET = object()  # a factory default not given


def _identity_type(converter: Any) -> type[Any] | None:
    """The type a converter of :mod:`models.common` returns unchanged (skipped inline)."""
    from decimal import Decimal

    from models.common import as_tuple, to_decimal

    if converter is as_tuple:
        return tuple
    if converter is to_decimal:
        return Decimal
    return None


def unchecked_constructor(cls: type[_C]) -> type[_C]:
    """A constructor for the frozen slotted attrs class ``cls`` with ``cls``'s own signature
    (positional or keyword arguments, the same defaults) that runs its converters and
    ``__attrs_post_init__`` but not its validators.

    What ``cls(...)`` does under ``attrs.validators.set_disabled(True)``, without switching
    the validators off for every thread of the process: a reader on one thread no longer
    turns them off for a caller building models on another. The result is a genuine ``cls``
    instance (see :func:`fast_constructor`); each field is stored with a plain slot write.
    """
    fields = _fields(cls)
    ns: dict[str, Any] = {"C": cls, "_UNSET": _UNSET}
    params: list[str] = []
    body: list[str] = []
    for i, f in enumerate(fields):
        name = f.alias or f.name
        if f.kw_only or (f.converter is not None and not callable(f.converter)):
            raise TypeError(f"{cls.__name__}.{f.name}: not supported by unchecked_constructor")
        value = name
        default: Any = f.default
        if default is attrs.NOTHING:
            params.append(name)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                raise TypeError(f"{cls.__name__}.{f.name}: a factory taking self")
            ns[f"_f{i}"] = default.factory
            params.append(f"{name}=_UNSET")
            body.append(f"    if {name} is _UNSET:\n        {name} = _f{i}()\n")
        else:
            ns[f"_d{i}"] = default
            params.append(f"{name}=_d{i}")
        if f.converter is not None:
            ns[f"_c{i}"] = f.converter
            value = f"_c{i}({name})"
            kind = _identity_type(f.converter)
            if kind is not None:  # the converter returns a value of this exact type as is
                ns[f"_t{i}"] = kind
                value = f"{name} if {name}.__class__ is _t{i} else {value}"
        body.append(f"    self.{f.name} = {value}\n")
    body.append("    self.__class__ = C\n")
    if hasattr(cls, "__attrs_post_init__"):
        body.append("    self.__attrs_post_init__()\n")
    exec(f"def __init__(self, {', '.join(params)}):\n{''.join(body)}", ns)
    return _builder(f"_Unchecked{cls.__name__}", cls, ns["__init__"])
