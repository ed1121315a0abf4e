"""Helpers shared by the test modules: running a command line in process, running a script
in a fresh interpreter, and editing one element of a segment of a generated file (the
deliberately broken files of the validation tests)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pathlib
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO, TypeVar

SRC = pathlib.Path(__file__).resolve().parent.parent / "src"

Main = Callable[..., int]
T = TypeVar("T")
Mutation = Callable[[list[str]], int]  # edits the segment list, returns the 0-based index


def run_main(main: Main, *argv: str) -> tuple[int, str, str]:
    """``main(argv, out=...)`` with standard error captured: (exit code, stdout, stderr)."""
    out: TextIO = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv), out=out)
    assert isinstance(out, io.StringIO)
    return code, out.getvalue(), err.getvalue()


def run_fresh(script: str, *argv: str) -> Any:
    """Run ``script`` (``python -c``, with ``argv``) in a fresh interpreter with the library's
    source on its path (what a process imports, the state it starts in); the JSON of the last
    line it prints."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


def set_element(prefix: str, element: int, value: str, nth: int = 0) -> Mutation:
    """A mutation setting ``element`` of the ``nth`` segment starting with ``prefix``."""

    def mutate(segs: list[str]) -> int:
        i = [k for k, s in enumerate(segs) if s.startswith(prefix)][nth]
        parts = segs[i].split("*")
        parts += [""] * (element + 1 - len(parts))
        parts[element] = value
        segs[i] = "*".join(parts)
        return i

    return mutate


def segments(text: str) -> list[str]:
    """The segments of a ``~``-terminated text."""
    return [s for s in text.split("~") if s]


def joined(segs: Sequence[str]) -> str:
    return "~".join(segs) + "~"


def collections_during(
    items: Iterable[T], keep: Callable[[T], object] = lambda item: None
) -> tuple[list[object], list[int]]:
    """Consume ``items`` (a stream) after a full collection, with the cyclic collector on,
    asserting it is on in the loop (the caller's code) at each item: ``keep(item)`` of each
    item (items themselves are let go), and the generations the collector collected."""
    import gc

    runs: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    assert gc.isenabled()
    gc.collect()
    gc.callbacks.append(count)
    kept: list[object] = []
    try:
        for item in items:
            assert gc.isenabled()
            kept.append(keep(item))
    finally:
        gc.callbacks.remove(count)
    return kept, runs
