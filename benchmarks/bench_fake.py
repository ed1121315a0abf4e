#!/usr/bin/env python3
"""Time the synthetic-data generators at 100,000 claims: generation and writing apart.

Usage: python benchmarks/bench_fake.py [--count 100000] [--runs 3] [--no-write]

Each stage runs ``--runs`` times in this process; the table gives the median wall time, the
time per claim and claims per second (markdown):

* ``edi837.fake.generate``: Claim models (default mix, and every claim with an optional-loop
  set);
* ``edi837.dumps``: writing those claims as an 837P (the writer, timed apart from generation);
* ``edi835.fake.synthetic_claims`` / ``adjudicate``: the 835 fake payer's inputs and the
  Remittance model (default mix, and every knob of the mix on);
* ``edi835.dumps``: writing the remittance;
* ``edi835.fake.claims_from_837``: reading the written 837 back as payer inputs.

Timings on a shared machine are noisy: compare stages measured in the same run.
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

import edi835  # noqa: E402
import edi837  # noqa: E402
from edi835 import fake as fake835  # noqa: E402
from edi837 import fake as fake837  # noqa: E402

TS = dt.datetime(2024, 5, 1, 9, 0)
ALL_KNOBS = fake835.AdjudicationMix(
    denied=0.2, denied_lines=0.1, reversals=0.05, crossover=0.1, unanswered=0.05, cob=1.0
)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-write", action="store_true", help="time generation only")
    args = ap.parse_args(argv)
    n, runs, seed = args.count, args.runs, args.seed
    rows: list[tuple[str, float]] = []

    t, claims = timed(lambda: fake837.generate(n, seed), runs)
    rows.append(("edi837.fake.generate (default mix)", t))
    t, _ = timed(lambda: fake837.generate(n, seed, every_loop=True), runs)
    rows.append(("edi837.fake.generate (every_loop)", t))
    text837 = ""
    if not args.no_write:

        def write837() -> str:
            return edi837.dumps(
                claims, submitter=fake837.submitter(), receiver=fake837.receiver(), timestamp=TS
            )

        t, text837 = timed(write837, runs)
        rows.append(("edi837.dumps (writer)", t))

    t, inputs = timed(lambda: fake835.synthetic_claims(n, seed=seed, secondary=0.1), runs)
    rows.append(("edi835.fake.synthetic_claims", t))
    t, rem = timed(lambda: fake835.adjudicate(inputs, seed=seed), runs)
    rows.append(("edi835.fake.adjudicate (default mix)", t))
    t, _ = timed(lambda: fake835.adjudicate(inputs, seed=seed, mix=ALL_KNOBS), runs)
    rows.append(("edi835.fake.adjudicate (every knob)", t))
    if not args.no_write:
        t, _ = timed(lambda: edi835.dumps([rem], timestamp=TS), runs)
        rows.append(("edi835.dumps (writer)", t))
        t, _ = timed(lambda: fake835.claims_from_837(text837), runs)
        rows.append(("edi835.fake.claims_from_837", t))

    print(f"{n:,} claims, median of {runs} run(s), Python {sys.version.split()[0]}\n")
    print("| stage | seconds | µs/claim | claims/s |")
    print("|---|---:|---:|---:|")
    for name, secs in rows:
        print(f"| {name} | {secs:.2f} | {secs / n * 1e6:.1f} | {n / secs:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
