"""Helpers shared by the test modules: running a command line in process, and editing one
element of a segment of a generated file (the deliberately broken files of the validation
tests)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Sequence
from typing import TextIO

Main = Callable[..., int]
Mutation = Callable[[list[str]], int]  # edits the segment list, returns the 0-based index


def run_main(main: Main, *argv: str) -> tuple[int, str, str]:
    """``main(argv, out=...)`` with standard error captured: (exit code, stdout, stderr)."""
    out: TextIO = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv), out=out)
    assert isinstance(out, io.StringIO)
    return code, out.getvalue(), err.getvalue()


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
