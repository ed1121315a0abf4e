"""A progress bar on standard error for the command lines, when reading takes a while.

The readers stream their input in small chunks (:data:`x12.tokenizer.DEFAULT_CHUNK_SIZE`), so
a file object that counts the bytes it hands out tells how far the *reading* is, not just the
loading of the file: :func:`opened_input` gives the commands such a file object.

When a bar is shown:

* only when both standard output and standard error are terminals (a command whose output is
  piped or redirected, or run by another program, never prints one), unless ``--progress``
  forces it on (on standard error, whatever it is) or ``--no-progress`` off;
* only once the read has lasted :data:`DELAY` seconds (0.5; the environment variable
  ``X12_PROGRESS_DELAY`` changes it), so quick commands print nothing;
* it counts bytes of the input (the total is the file's size; standard input has no total)
  and is erased when the read ends, so nothing of it stays beside the command's output.

The bar is `tqdm <https://tqdm.github.io>`_'s, imported only when one may be shown: importing
the packages or running a command without a terminal does not import it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Iterator
from typing import IO, Any, TextIO

__all__ = [
    "DELAY",
    "CountingReader",
    "add_progress_options",
    "opened_input",
    "peek",
    "wanted",
]

#: Seconds a read must last before its bar appears.
DELAY = 0.5


def add_progress_options(parser: argparse.ArgumentParser) -> None:
    """``--progress`` / ``--no-progress`` (default: a bar when stdout and stderr are terminals)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--progress",
        dest="progress",
        action="store_const",
        const=True,
        default=None,
        help="show a progress bar on standard error while reading (default: only when "
        "standard output and standard error are terminals)",
    )
    group.add_argument(
        "--no-progress",
        dest="progress",
        action="store_const",
        const=False,
        help="never show a progress bar",
    )


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def wanted(choice: bool | None, out: object | None = None, err: object | None = None) -> bool:
    """Whether to show a bar: ``choice`` when given (``--progress``/``--no-progress``),
    else when both ``out`` and ``err`` (default: sys.stdout, sys.stderr) are terminals."""
    if choice is not None:
        return choice
    return _isatty(sys.stdout if out is None else out) and _isatty(
        sys.stderr if err is None else err
    )


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("X12_PROGRESS_DELAY", DELAY)))
    except ValueError:
        return DELAY


class CountingReader(io.RawIOBase):
    """A binary file object over ``raw`` that reports each chunk it reads from ``raw`` to
    ``advance(n)`` (when given), after handing out ``head`` first (bytes already read from
    ``raw``, which are not reported again)."""

    def __init__(self, raw: IO[bytes], advance: Any = None, head: bytes = b"") -> None:
        super().__init__()
        self._raw = raw
        self._advance = advance
        self._head = head

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        head = self._head
        if head:
            if size is None or size < 0:
                self._head = b""
                return head + self._counted(self._raw.read())
            self._head = head[size:]
            return head[:size]
        return self._counted(self._raw.read(-1 if size is None else size))

    def _counted(self, data: bytes) -> bytes:
        if data and self._advance is not None:
            self._advance(len(data))
        return data


def peek(stream: IO[bytes], size: int) -> tuple[bytes, IO[bytes]]:
    """The first ``size`` bytes of ``stream`` (fewer at its end), and a stream that reads
    from its start again: to sniff a file's kind without reading it whole."""
    head = b""
    while len(head) < size:
        chunk = stream.read(size - len(head))
        if not chunk:
            break
        head += chunk
    return head, CountingReader(stream, head=head)  # type: ignore[return-value]


@contextlib.contextmanager
def opened_input(
    path: str, *, show: bool, err: TextIO | None = None, label: str | None = None
) -> Iterator[IO[bytes]]:
    """The command's input (a path, or ``-`` for standard input) as a binary file object;
    with ``show``, reading it advances a progress bar on ``err`` (default sys.stderr)."""
    if path == "-":
        raw: IO[bytes] = sys.stdin.buffer
        total: int | None = None
        owned = False
    else:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
        owned = True
        try:
            total = os.fstat(raw.fileno()).st_size or None
        except OSError:
            total = None
    try:
        if not show:
            yield raw
            return
        from tqdm import tqdm  # type: ignore[import-untyped]

        name = label if label is not None else ("stdin" if path == "-" else os.path.basename(path))
        with tqdm(
            total=total,
            desc=name,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=err if err is not None else sys.stderr,
            delay=_delay(),
            leave=False,
            dynamic_ncols=True,
        ) as bar:
            yield CountingReader(raw, bar.update)  # type: ignore[misc]
    finally:
        if owned:
            raw.close()
