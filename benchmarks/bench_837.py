#!/usr/bin/env python3
"""Write and read back a 20,000-claim 837P in process: the issue's "about a second" targets.

Usage: python benchmarks/bench_837.py [--claims 20000] [--runs 3]

Generates the claims once (``edi837.fake.generate(N, seed=1)``, not timed), then times, median
of ``--runs``: ``edi837.dumps`` (models -> checked X12 text), ``edi837.loads`` (text -> typed
Claim models) and ``edi837.iter_claims`` (streamed). Checks that the claims read back equal the
claims written (in the writer's HL order, so compared by CLM01). ``run_all.py`` times the same
work as whole processes beside the peers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import edi837  # noqa: E402
from edi837 import fake  # noqa: E402


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    claims = fake.generate(args.claims, seed=1)
    when = dt.datetime(2024, 5, 1, 10, 0)

    def write() -> str:
        return edi837.dumps(
            claims, submitter=fake.submitter(), receiver=fake.receiver(), timestamp=when
        )

    t_write, text = _median(write, args.runs)
    t_read, back = _median(lambda: edi837.loads(text), args.runs)
    t_stream, count = _median(lambda: sum(1 for _ in edi837.iter_claims(text)), args.runs)
    # The writer groups claims under their billing provider and subscriber (the HL tree), so
    # they read back in that order: compare them by claim id (CLM01).
    same = sorted(back, key=lambda c: c.id) == sorted(claims, key=lambda c: c.id)
    segments = text.count("~")
    print(f"837P: {args.claims:,} claims, {segments:,} segments, {len(text) / 1e6:.1f} MB")
    print(f"write  edi837.dumps        {t_write:6.2f} s  ({segments / t_write:,.0f} segments/s)")
    print(f"read   edi837.loads        {t_read:6.2f} s  ({segments / t_read:,.0f} segments/s)")
    print(f"stream edi837.iter_claims  {t_stream:6.2f} s  ({count:,} claims)")
    print(f"read(write(claims)) == claims: {same}")
    return 0 if same and count == args.claims else 1


if __name__ == "__main__":
    sys.exit(main())
