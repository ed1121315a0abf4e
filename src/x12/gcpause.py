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

Streams (:func:`built_paused`) do not promote: their batches are let go, not kept. Each batch
is read, and what the caller is handed built, inside a pause; the previous batch dies by
reference counting inside the next pause, so the collector's count of young objects stays
low and it rarely runs at all (20,000 claims: 2-4 young collections instead of about 300).
Nothing built inside may make reference cycles, or they would pile up until the pause ends:
``json.dumps`` with an indent does (its encoder's closures), which is one reason the JSON
writers use :func:`models.json_text.dumps_indented` instead.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

__all__ = ["built_paused", "collector_paused"]

_T = TypeVar("_T")
_U = TypeVar("_U")

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


class collector_paused:  # lower case: it reads as a function, ``with collector_paused():``
    """Pause the cyclic collector for the block; ``keep``: promote what it made (see above).

    A class, not a generator-based context manager: leaving the block allocates nothing the
    collector tracks (a generator's ending raises a StopIteration object, and that one
    allocation, made just as the collector is back on with the block's objects still
    counted as young, was enough to start a collection of them: ``frames.iter_rows`` on
    20,000 claims ran 111 young collections with a generator-based one, 3 with this)."""

    __slots__ = ("_keep", "_was_enabled")

    def __init__(self, *, keep: bool = False) -> None:
        self._keep = keep
        self._was_enabled = False

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._was_enabled:
            if self._keep and _none_of_its_own_frozen():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


_END = object()


def built_paused(items: Iterator[_T], build: Callable[[_T], _U]) -> Iterator[_U]:
    """``build(item)`` for each of ``items``, the item taken and built with the collector
    paused, each result handed out once it is back on: for streams of batches of acyclic
    objects (the segments and models of a batch, the rows or records made of them).

    A batch is made without the collector walking it every few hundred allocations, and the
    previous one (the item and what was built of it) is let go inside the next pause, where
    its objects die by reference counting: when the caller keeps nothing of it, the
    collector's count of young objects stays low and it never scans them. A caller that
    still holds the previous result when it asks for the next one (a ``for`` loop's
    variable does) only delays that: the objects die as soon as it lets go."""
    while True:
        with collector_paused():
            item = next(items, _END)
            if item is _END:
                return
            made = build(item)  # type: ignore[arg-type]
        yield made
