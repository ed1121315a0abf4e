"""models._construct.fast_constructor: what it builds is indistinguishable from ``cls(...)``."""

from __future__ import annotations

import copy
import pickle
import weakref
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

from models import common, remittance
from models._construct import _descriptor_constructor, fast_constructor
from models.json import from_json, to_json
from models.strategies_remittance import remittances

CLASSES = [
    cls
    for mod in (common, remittance)
    for cls in vars(mod).values()
    if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == mod.__name__
]


def _rebuild(obj: Any) -> Any:
    """The same object graph, every attrs instance rebuilt by fast_constructor."""
    if isinstance(obj, tuple):
        return tuple(_rebuild(o) for o in obj)
    if attrs.has(type(obj)):
        make = fast_constructor(type(obj))
        return make(*(_rebuild(getattr(obj, f.name)) for f in attrs.fields(type(obj))))
    return obj


def test_classes_found() -> None:
    assert remittance.ClaimPayment in CLASSES and common.Adjustment in CLASSES


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_built_with_defaults_is_a_genuine_instance(cls: type[Any]) -> None:
    values = [None if f.default is attrs.NOTHING else f.default for f in attrs.fields(cls)]
    for make in (fast_constructor(cls), _descriptor_constructor(cls)):
        obj = make(*values)
        assert type(obj) is cls
        assert obj == make(*values) and hash(obj) == hash(make(*values))
        assert repr(obj).startswith(cls.__name__ + "(")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(obj, attrs.fields(cls)[0].name, None)
        assert weakref.ref(obj)() is obj
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert copy.copy(obj) == obj


@settings(max_examples=30, deadline=None)
@given(remittances())
def test_rebuilt_remittances_are_equal(rem: remittance.Remittance) -> None:
    rebuilt = _rebuild(rem)
    assert rebuilt == rem and hash(rebuilt) == hash(rem)
    assert to_json(rebuilt) == to_json(rem)
    assert from_json(to_json(rebuilt), remittance.Remittance) == rem
    assert pickle.loads(pickle.dumps(rebuilt)) == rem
