"""On-demand fuzzing of the public readers (longer than the suite's bounded fuzz tests).

    python tools/fuzz.py --target x12|835|837|999|277|835v|837v|837iv|all --seconds N
                         [--seed S] [--timeout T] [--out DIR] [-v]

Mutates valid files (made by the libraries' writers, or the first valid corpus file for
999/277CA/837I) with Hypothesis for about N seconds per target and calls the target's public
readers (``*v``: ``validate()``, which must not raise at all). Any exception that is not an
``x12.errors.X12Error`` is a crash, and so is an example that runs longer than ``--timeout``
seconds (a hang or a quadratic path): the smallest input found for each distinct crash site is
printed (as a Python bytes literal) and saved under ``--out`` (default: a folder in the
system's temporary directory, never inside the repository). Prints the count of examples
tried; exits 1 when something crashed.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import signal
import sys
import tempfile
import time
import traceback

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "hardening")]

import hypothesis  # noqa: E402
from _mutate import mutated  # noqa: E402
from _targets import TARGETS, available, seed  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from x12.errors import X12Error  # noqa: E402

#: Examples per Hypothesis run: each run starts afresh, so memory stays flat however long the
#: fuzzing goes (one endless run keeps growing Hypothesis's record of what it explored).
BATCH = 200


class _Slow(BaseException):
    """An example ran longer than the per-example time limit (a hang or a quadratic path).
    A BaseException, so that a reader's ``except Exception`` cannot swallow it."""


def _alarm(signum: int, frame: object) -> None:
    raise _Slow


def fuzz(
    name: str, seconds: float, rng_seed: int | None, timeout: float = 10.0, verbose: bool = False
) -> tuple[int, dict[tuple[str, str, int], tuple[bytes, str]]]:
    """Fuzz target ``name`` for about ``seconds``: (examples tried, crashes by site). An
    example running longer than ``timeout`` seconds is a crash too (``_Slow``, located where
    it was interrupted)."""
    target = TARGETS[name]
    data = seed(name)
    crashes: dict[tuple[str, str, int], tuple[bytes, str]] = {}
    tried = 0
    deadline = time.monotonic() + seconds
    base = rng_seed if rng_seed is not None else random.randrange(2**32)

    def one(blob: bytes) -> None:
        nonlocal tried
        if time.monotonic() > deadline:
            return
        tried += 1
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            target(blob)
        except X12Error:
            pass
        except (Exception, _Slow) as exc:
            # a wrapped error (validate() raising) is located where its cause was raised
            cause = exc.__cause__ if exc.__cause__ is not None else exc
            frames = traceback.extract_tb(cause.__traceback__) or traceback.extract_tb(
                exc.__traceback__
            )
            frame = frames[-2] if isinstance(exc, _Slow) and len(frames) > 1 else frames[-1]
            kind = type(exc).__name__
            if isinstance(exc, _Slow):  # one site per function: a hang stops anywhere in it
                key = (kind, frame.filename, 0)
                summary = f"slower than {timeout:g} s (interrupted)"
            else:
                key = (kind, frame.filename, frame.lineno or 0)
                summary = "".join(traceback.format_exception_only(exc)).strip()
            where = f"{frame.filename}:{frame.lineno} in {frame.name}"
            if key not in crashes or len(blob) < len(crashes[key][0]):
                crashes[key] = (blob, f"{summary} at {where}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    signal.signal(signal.SIGALRM, _alarm)
    batch = 0
    while time.monotonic() < deadline:
        # Crashes are caught in ``one`` (Hypothesis sees none, so it never shrinks); the
        # smallest input per crash site is kept instead.
        run = settings(
            max_examples=BATCH,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(mutated(data, max_steps=5, odd_digits=True))(one))
        hypothesis.seed(base + batch)(run)()
        batch += 1
        if verbose:
            print(f"  {name}: batch {batch}, {tried} examples", file=sys.stderr, flush=True)
    return tried, crashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=[*sorted(TARGETS), "all"], required=True)
    parser.add_argument("--seconds", type=float, default=60.0, help="per target")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds one example may take (default 10)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="progress per batch")
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=pathlib.Path(tempfile.gettempdir()) / "x12-fuzz-crashes",
        help="folder for the reproducers",
    )
    args = parser.parse_args(argv)
    names = sorted(TARGETS) if args.target == "all" else [args.target]
    status = 0
    for name in names:
        why = available(name)
        if why is not None or not seed(name):
            print(f"cannot fuzz {name}: {why or 'no seed file (corpus absent)'}", file=sys.stderr)
            status = max(status, 2 if len(names) == 1 else 0)
            continue
        tried, crashes = fuzz(name, args.seconds, args.seed, args.timeout, args.verbose)
        print(
            f"{name}: {tried} examples tried in about {args.seconds:g} s, "
            f"{len(crashes)} crash site(s)",
            flush=True,
        )
        for i, (_key, (blob, summary)) in enumerate(sorted(crashes.items())):
            args.out.mkdir(parents=True, exist_ok=True)
            path = args.out / f"{name}-{i}.x12"
            path.write_bytes(blob)
            print(f"\nCRASH {summary}\n  reproducer ({len(blob)} bytes, saved to {path}):")
            print(f"  {blob[:2000]!r}{' ...' if len(blob) > 2000 else ''}", flush=True)
        if crashes:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
