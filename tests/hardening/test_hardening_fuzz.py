"""Fuzz every public reader with mutations of valid files: only X12Error may escape.

Seeds come from the libraries' own writers (edi837.fake, edi835.fake) or, for 999/277CA and
the 837I validator, the first valid corpus file. The validators (edi835/edi837 ``validate``)
must not raise at all. The count of examples tried is asserted and shown in the terminal
summary ("hardening fuzz: examples tried", see conftest.py).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

import pytest
from _mutate import mutated
from _targets import FUZZ_COUNTS, TARGETS, available, seed
from hypothesis import HealthCheck, Phase, given, settings

from x12.errors import IssueLog, X12Error

EXAMPLES = 500
#: Seconds one example may take: a hang fails the test (with the input) instead of the run.
SLOW = 10


class _Slow(BaseException):
    """A BaseException, so that a reader's ``except Exception`` cannot swallow it."""


@contextlib.contextmanager
def _time_limit(blob: bytes) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise _Slow

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, SLOW)
    try:
        yield
    except _Slow:
        pytest.fail(f"one example ran for more than {SLOW} s: {blob[:3000]!r}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


#: validate() does more per example (every element against the guide): fewer examples.
_EXAMPLES = {"835v": 300, "837v": 300, "837iv": 300}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_readers_raise_only_x12_errors(name: str) -> None:
    why = available(name)
    if why is not None:
        pytest.skip(why)
    data = seed(name)
    if not data:
        pytest.skip(f"no seed file for {name} (corpus absent)")
    target = TARGETS[name]
    target(data)  # the seed itself reads
    tried = 0

    examples = _EXAMPLES.get(name, EXAMPLES)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        # no shrinking: a hang found would be re-run hundreds of times (SLOW s each); the
        # failing input is printed whole, and tools/fuzz.py keeps the smallest per site
        phases=[Phase.generate],
    )
    @given(mutated(data))
    def run(blob: bytes) -> None:
        nonlocal tried
        tried += 1
        try:
            with _time_limit(blob):
                target(blob)
        except X12Error as exc:
            assert exc.__class__.__module__.startswith("x12")

    run()
    FUZZ_COUNTS[name] = tried
    print(f"fuzz {name}: {tried} examples")
    assert tried >= examples // 2


def test_validators_return_findings() -> None:
    """x12.loops.build_tree over the 837P guide and edi835.balance_source (the validators)
    record findings, never crash, on mutations."""
    from x12 import loops
    from x12.tokenizer import tokenize

    edi837 = pytest.importorskip("edi837.guide_x222a1")
    balance_source = pytest.importorskip("edi835.balance").balance_source
    tried = 0

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(mutated(seed("837")))
    def run(blob: bytes) -> None:
        nonlocal tried
        tried += 1
        try:
            segs = tokenize(blob)
            body = [s for s in segs if s and s[0] not in ("ISA", "GS", "GE", "IEA")]
            loops.build_tree(body, edi837.GUIDE, component=":", log=IssueLog())
        except X12Error:
            pass

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(mutated(seed("835")))
    def run835(blob: bytes) -> None:
        nonlocal tried
        tried += 1
        with contextlib.suppress(X12Error):
            balance_source(blob, log=IssueLog())

    run()
    run835()
    FUZZ_COUNTS["loops.build_tree + balance_source"] = tried
    print(f"fuzz loops.build_tree + balance_source: {tried} examples")
    assert tried > 0
