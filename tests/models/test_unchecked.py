"""models.unchecked: the readers' constructors skip validators without a process-wide switch."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from decimal import Decimal

import attrs
import pytest

import edi837
from _helpers import run_fresh
from edi837 import fake
from models import unchecked
from models._construct import unchecked_constructor
from models.claim import EventDate, Note, ServiceLine
from models.common import Adjustment, AdjustmentGroup


def test_same_instance_as_the_class_makes() -> None:
    made = unchecked.Adjustment("CO", "45", "12.50")  # converters run: enum, Decimal
    assert type(made) is Adjustment
    assert made == Adjustment(AdjustmentGroup.CONTRACTUAL, "45", Decimal("12.50"))
    assert made.group is AdjustmentGroup.CONTRACTUAL and made.amount == Decimal("12.50")
    assert hash(made) == hash(Adjustment("CO", "45", Decimal("12.50")))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.reason = "1"  # type: ignore[misc]


def test_defaults_and_keywords_as_the_class() -> None:
    line = unchecked.ServiceLine("99213", Decimal(100), service_date=dt.date(2024, 1, 2))
    assert line == ServiceLine("99213", Decimal(100), dt.date(2024, 1, 2))


def test_validators_skipped_post_init_kept() -> None:
    assert unchecked.Note("", "").code == ""  # Note("", "") would refuse the empty code
    with pytest.raises(ValueError):
        Note("", "")
    with pytest.raises(ValueError, match="end"):  # __attrs_post_init__ still runs
        unchecked.EventDate("472", dt.date(2024, 1, 2), dt.date(2024, 1, 1))


def test_evolve_unchecked() -> None:
    e = EventDate("472", dt.date(2024, 1, 2))
    assert unchecked.evolve(e, kind="").kind == ""
    assert unchecked.evolve(e, end=dt.date(2024, 1, 3)) == EventDate(
        "472", dt.date(2024, 1, 2), dt.date(2024, 1, 3)
    )


def test_factory_defaults() -> None:
    @attrs.frozen
    class WithFactory:
        a: int
        b: list[int] = attrs.field(factory=list)

    make = unchecked_constructor(WithFactory)
    one, two = make(1), make(2)
    assert one.b == [] and one.b is not two.b
    assert type(one) is WithFactory


def test_a_reader_on_another_thread_does_not_switch_validators_off() -> None:
    """The 837 readers used to call attrs.validators.set_disabled(True) while building
    models: process-wide, so a model built on another thread meanwhile skipped its
    validators (an empty Note code was accepted)."""
    text = edi837.dumps(
        fake.generate(300, seed=2),
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=dt.datetime(2024, 5, 1),
    )
    done = threading.Event()
    reads = [0]

    def read_on() -> None:
        while not done.is_set():
            edi837.loads(text)
            reads[0] += 1

    reader = threading.Thread(target=read_on)
    reader.start()
    accepted = tried = 0
    try:
        while reads[0] < 3 and tried < 2_000_000:  # until the reader has read a few times
            tried += 1
            try:
                Note("", "")
                accepted += 1
            except ValueError:
                pass
    finally:
        done.set()
        reader.join()
    assert reads[0] >= 3
    assert accepted == 0, f"{accepted} of {tried} invalid notes accepted during reads"


def test_every_name_is_its_class_constructor() -> None:
    """Each name of ``__all__`` (but evolve) is built, on first use, from the class of the
    same name in its module, and stays the same object."""
    for name in unchecked.__all__:
        if name == "evolve":
            continue
        made = getattr(unchecked, name)
        home = importlib.import_module(unchecked._HOME[name])
        cls = getattr(home, name)
        assert made is unchecked._builder(cls)
        assert issubclass(made, cls)
        assert getattr(unchecked, name) is made
    assert set(unchecked._HOME) == set(unchecked.__all__) - {"evolve"}
    with pytest.raises(AttributeError):
        unchecked.Nonesuch  # noqa: B018


_FRESH = """
import json, sys
import edi837
from edi837 import fake
text = edi837.dumps(fake.generate(3, seed=1), submitter=fake.submitter(),
                    receiver=fake.receiver())
claims = edi837.loads(text)
print(json.dumps([len(claims), [m for m in ("models.institutional", "models.dental")
                                if m in sys.modules]]))
"""


def test_the_837p_reader_imports_no_837i_or_837d_models() -> None:
    count, imported = run_fresh(_FRESH)
    assert count == 3
    assert imported == []
