"""Writing output files safely: atomically, and never over an input.

A command that fails half way must leave no half-written 837 behind: the text goes to a
temporary file in the target's folder, is flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TextIO

from x12.errors import X12Error

__all__ = [
    "atomic_write_text",
    "emit_text",
    "read_input",
    "same_file",
    "silence_broken_pipe",
    "streamed_output",
]


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when both paths name the same existing file (links and relative paths resolved)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return pathlib.Path(a).resolve() == pathlib.Path(b).resolve()


def _refuse_inputs(target: pathlib.Path, inputs: Iterable[str | os.PathLike[str]]) -> None:
    for src in inputs:
        if str(src) != "-" and same_file(target, src):
            raise X12Error(f"refusing to overwrite the input file {target.name}", code="OVERWRITE")


@contextlib.contextmanager
def _atomic_file(target: pathlib.Path, encoding: str, newline: str) -> Iterator[IO[str]]:
    """A text file written beside ``target`` (in its folder), flushed to disk and renamed
    over it when the body ends; removed when the body raises."""
    folder = target.parent if str(target.parent) else pathlib.Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fp:
            yield fp
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def streamed_output(
    output: str | None, inputs: Sequence[str], out: TextIO, *, encoding: str = "utf-8"
) -> Iterator[IO[str]]:
    """A command's result written as it is made, with :func:`emit_text`'s outcome: to a
    temporary file beside ``output`` (refused first when it is one of ``inputs``), renamed
    over it at the end; with no output file (or ``-``), to a temporary file copied to ``out``
    at the end. Nothing is written anywhere when the body raises. Memory holds none of it."""
    if output and output != "-":
        target = pathlib.Path(output)
        _refuse_inputs(target, inputs)
        with _atomic_file(target, encoding, "") as fp:
            yield fp
        return
    with tempfile.TemporaryFile("w+", encoding=encoding, newline="") as spool:
        yield spool
        spool.seek(0)
        while chunk := spool.read(1 << 20):
            out.write(chunk)


def atomic_write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    encoding: str = "utf-8",
    newline: str = "",
) -> None:
    """Write ``text`` to ``path`` atomically; refuse when ``path`` is one of ``inputs``."""
    target = pathlib.Path(path)
    _refuse_inputs(target, inputs)
    with _atomic_file(target, encoding, newline) as fp:
        fp.write(text)


def silence_broken_pipe() -> int:
    """Exit code for a command whose reader went away (``edi835 parse F | head``).

    Standard output is pointed at the null device so the interpreter's final flush does not
    raise again; the command ends quietly with 0, as Unix tools do.
    """
    import sys

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def read_input(path: str) -> bytes:
    """The bytes of a command's input file, or of standard input for ``-``."""
    if path == "-":
        import sys

        return sys.stdin.buffer.read()
    with open(path, "rb") as fp:
        return fp.read()


def emit_text(text: str, output: str | None, inputs: Sequence[str], out: TextIO) -> None:
    """A command's result: to ``output`` atomically (never over one of ``inputs``), or to
    ``out`` when no output file (or ``-``) is given."""
    if output and output != "-":
        atomic_write_text(output, text, inputs=inputs)
    else:
        out.write(text)
