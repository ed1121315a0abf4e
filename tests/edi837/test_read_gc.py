"""The 837 readers build a transaction with the cyclic collector paused (x12.gcpause).

Gathering the transaction's segments used to happen before the pause: a 20,000-claim 837P
then ran collection after collection over the segment lists it was keeping (3.5 s instead
of 2.4 s in a long-lived process). A read now runs at most the one young collection that
is due when the pause ends.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from typing import Any

import pytest

import edi837
from edi837 import fake, fake_dental, fake_institutional

TS = dt.datetime(2024, 5, 1)
PARTIES = {"submitter": fake.submitter(), "receiver": fake.receiver(), "timestamp": TS}

CASES: dict[str, tuple[Callable[[], str], Callable[[str], list[Any]]]] = {
    "837P": (lambda: edi837.dumps(fake.generate(300, seed=3), **PARTIES), edi837.loads),
    "837I": (
        lambda: edi837.dumps_institutional(fake_institutional.generate(300, seed=3), **PARTIES),
        edi837.loads_institutional,
    ),
    "837D": (
        lambda: edi837.dumps_dental(fake_dental.generate(300, seed=3), **PARTIES),
        edi837.loads_dental,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_read_runs_at_most_one_young_collection(name: str) -> None:
    write, read = CASES[name]
    text = write()
    started: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    was = gc.isenabled()
    gc.enable()
    gc.collect()
    gc.callbacks.append(seen)
    try:
        claims = read(text)
    finally:
        gc.callbacks.remove(seen)
        if not was:
            gc.disable()
    assert len(claims) == 300
    assert started in ([], [0]), started


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_read_leaves_what_the_process_froze_frozen(name: str) -> None:
    """With objects frozen (by the process, or by the interpreter itself: CPython 3.12 keeps
    its built-in types' tuples frozen), the reader does not promote what it built: promoting
    would thaw them. The claims read are the same."""
    write, read = CASES[name]
    text = write()
    expected = read(text)
    mine = [[i] for i in range(100)]
    gc.freeze()
    try:
        claims = read(text)
        # still frozen: in no generation (gc.get_objects() lists all but the frozen)
        thawed = {id(o) for o in gc.get_objects()}
        assert not any(id(m) in thawed for m in mine)
    finally:
        gc.unfreeze()
    assert claims == expected
