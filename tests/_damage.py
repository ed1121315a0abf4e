"""Helpers shared by the tests that compare two ways of reading or checking damaged files:
segment-level damage, and the peak memory of a call."""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections.abc import Callable, Iterator, Sequence

#: Values a "value" edit puts in an element: empty, a wrong code, a relationship code, a
#: composite, a date in the future.
VALUES = ("", "X", "18", "AA:BB", "20991231")


def damage(
    body: list[str], edits: Sequence[tuple[str, int, int]], values: Sequence[str] = VALUES
) -> list[str]:
    """``body`` (segments as text, ``*``-separated) after each edit ``(op, a, b)``: ``drop``
    segment a, ``copy`` a before b, ``swap`` a and b, ``hl02`` (an HL's parent becomes b % 14),
    ``value`` (element b of segment a becomes ``values[a]``); a and b are taken modulo the
    length. The list is changed in place and returned."""
    for op, a, b in edits:
        i, j = a % len(body), b % len(body)
        if op == "drop":
            del body[i]
        elif op == "copy":
            body.insert(j, body[i])
        elif op == "swap":
            body[i], body[j] = body[j], body[i]
        else:
            e = body[i].split("*")
            if op == "hl02" and e[0] == "HL" and len(e) > 2:
                e[2] = str(b % 14)
            elif op == "value":
                e[b % len(e)] = values[a % len(values)]
            body[i] = "*".join(e)
    return body


def peak(run: Callable[[], object]) -> int:
    """The peak of traced memory (bytes) while ``run()`` runs, after a collection."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def damaged_texts(
    text: str, seed: int, count: int
) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    """``count`` damaged copies of the interchange ``text`` (``~``-terminated segments; its
    first three and last three kept: ISA, GS, ST and SE, GE, IEA), each after one to three
    random ``drop``, ``copy``, ``swap`` or ``value`` edits: ``(damaged text, edits)``."""
    segs = text.split("~")
    head, body, tail = segs[:3], segs[3:-3], segs[-3:]
    rng = random.Random(seed)
    ops = ("drop", "copy", "swap", "value")
    for _ in range(count):
        edits = [
            (rng.choice(ops), rng.randrange(1000), rng.randrange(1000))
            for _ in range(rng.randint(1, 3))
        ]
        yield "~".join(head + damage(body[:], edits) + tail), edits
