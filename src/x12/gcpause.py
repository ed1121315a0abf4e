"""Pausing the cyclic garbage collector while a reader builds many small acyclic objects.

CPython's cyclic collector runs every few hundred allocations and walks every young object.
A reader that makes a million segment lists and models, none of which can form a cycle,
would have it walk them again and again for nothing: pausing it for the build saves half of
the tokenizing time and a third of the 835 reader's. Reference counting still frees what is
dropped; the collector resumes afterwards.

``collector_paused(keep=True)`` is for builds whose objects are kept (a reader's models, a
table's rows): on resuming, the objects made meanwhile are *promoted* to the oldest
generation without a scan (``gc.freeze()`` then ``gc.unfreeze()``), as if they had survived
the collections the pause skipped. Otherwise the first collection after the pause walks all of
them at once, and again one generation later (on the 20,000-claim bench 835: 0.12 s of a
0.40 s read, in-process). What the promotion costs the rest of the process: cyclic garbage
that was young when the read ended is collected at the next full collection instead of a
young one (it is delayed, never leaked). It is skipped when the process has frozen objects of
its own (``gc.get_freeze_count()``: ``gc.unfreeze()`` would thaw them too) or when the
collector was off before the pause.

Frozen objects that are not the process's own: CPython 3.12's collector moves every immortal
object it meets into the permanent generation (their reference counts say nothing), and the
built-in types' ``__bases__`` and ``__mro__`` tuples are immortal and tracked: a 3.12 process
has about 375 frozen objects from its first collection on, without freezing anything.
Thawing those is harmless (the next collection that meets them parks them again), so frozen
objects no more numerous than the interpreter's tracked immortal tuples
(:func:`_immortal_tracked`, counted once, when first needed) do not stop the promotion. A
``gc.freeze()`` of the process's own freezes every tracked object it has (its modules'
functions and dicts: thousands), far more. Without this, reads on 3.12 were about 5% slower
(the 20,000-claim 835's ``load``: 0.456 s against 0.435 s as whole processes).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

#: Reference counts at or above this are immortal objects' (CPython 3.12 and later).
_IMMORTAL_REFCOUNT = 1 << 30
_immortal: int | None = None  # _immortal_tracked(), once counted


def _immortal_tracked() -> int:
    """How many tracked immortal objects the interpreter's built-in types hold: their
    ``__bases__`` and ``__mro__`` tuples where these are immortal and tracked (CPython 3.12:
    375 on x86-64 Linux; 0 on 3.11, which has no immortal objects, and on 3.13, which does
    not track them)."""
    types: set[type] = set()
    stack: list[type] = [object]
    while stack:
        t = stack.pop()
        if t not in types:
            types.add(t)
            stack.extend(type.__subclasses__(t))
    found: set[int] = set()
    for t in types:
        if t.__flags__ & (1 << 9):  # Py_TPFLAGS_HEAPTYPE: a class made at run time
            continue
        for held in (t.__bases__, t.__mro__):
            if gc.is_tracked(held) and sys.getrefcount(held) >= _IMMORTAL_REFCOUNT:
                found.add(id(held))
    return len(found)


def _none_of_its_own_frozen() -> bool:
    """Whether the process has no frozen objects of its own (see the module's docstring)."""
    frozen = gc.get_freeze_count()
    if frozen == 0:
        return True
    global _immortal
    if _immortal is None:
        _immortal = _immortal_tracked()
    return frozen <= _immortal


@contextmanager
def collector_paused(*, keep: bool = False) -> Iterator[None]:
    """Pause the cyclic collector for the block; ``keep``: promote what it made (see above)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if keep and _none_of_its_own_frozen():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
