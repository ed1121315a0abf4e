"""Fuzz every public reader with mutations of valid files: only X12Error may escape.

Seeds come from the libraries' own writers (edi837.fake, edi835.fake) or, for 999/277CA,
the first valid corpus file. The count of examples tried is asserted and printed.
"""

from __future__ import annotations

import contextlib

import pytest
from _mutate import mutated
from _targets import TARGETS, available, seed
from hypothesis import HealthCheck, given, settings

from x12.errors import IssueLog, X12Error

EXAMPLES = 500
_counts: dict[str, int] = {}


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

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutated(data))
    def run(blob: bytes) -> None:
        nonlocal tried
        tried += 1
        try:
            target(blob)
        except X12Error as exc:
            assert exc.__class__.__module__.startswith("x12")

    run()
    _counts[name] = tried
    print(f"fuzz {name}: {tried} examples")
    assert tried >= EXAMPLES // 2


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
    print(f"fuzz loops.build_tree + balance_source: {tried} examples")
    assert tried > 0
