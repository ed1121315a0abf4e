#!/usr/bin/env python3
"""Time edi837.validate (our SNIP 1-5 checks) against pyx12's validation of the same 837P.

Usage: python benchmarks/bench_validate.py [--claims 20000] [--pyx12-claims 1000] [--runs 3]

Generates the 837P with the library's own generator (edi837.fake, seed 1), validates it with
our checks ``--runs`` times (median), then times pyx12 (x12.pyx12_check, the full map-driven
validator) once on the first ``--pyx12-claims`` claims' file and on that same file for us, so
the ratio compares like with like. pyx12 takes minutes on 20,000 claims; its time on the full
file is the measured small-file rate scaled by segment count (printed as such).
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import edi837  # noqa: E402
from edi837 import fake  # noqa: E402
from edi837.validation import validate  # noqa: E402
from x12.pyx12_check import validate_with_pyx12  # noqa: E402


def _file(claims: int) -> str:
    return edi837.dumps(
        fake.generate(claims, seed=1),
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=dt.datetime(2024, 5, 1, 10, 0),
    )


def _median(text: str, runs: int) -> tuple[float, int, int]:
    times = []
    report = None
    for _ in range(runs):
        t = time.perf_counter()
        report = validate(text)
        times.append(time.perf_counter() - t)
    assert report is not None
    return statistics.median(times), report.segments, len(report.errors)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--claims", type=int, default=20_000)
    p.add_argument("--pyx12-claims", type=int, default=1_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()

    big = _file(args.claims)
    ours_big, segs_big, errors = _median(big, args.runs)
    small = _file(args.pyx12_claims)
    ours_small, segs_small, _ = _median(small, args.runs)
    t = time.perf_counter()
    judged = validate_with_pyx12(small)
    pyx12_small = time.perf_counter() - t

    print("| what | claims | segments | seconds | segments/s |")
    print("|---|---|---|---|---|")
    print(
        f"| x12-claims validate (SNIP 1-5) | {args.claims:,} | {segs_big:,} |"
        f" {ours_big:.2f} | {segs_big / ours_big:,.0f} |"
    )
    print(
        f"| x12-claims validate (SNIP 1-5) | {args.pyx12_claims:,} | {segs_small:,} |"
        f" {ours_small:.3f} | {segs_small / ours_small:,.0f} |"
    )
    print(
        f"| pyx12 4.0.0 validation | {args.pyx12_claims:,} | {segs_small:,} |"
        f" {pyx12_small:.2f} | {segs_small / pyx12_small:,.0f} |"
    )
    print()
    print(f"errors found by us on the generated file: {errors}; pyx12 passed it: {judged.passed}")
    print(
        f"ratio on the same {args.pyx12_claims:,}-claim file: pyx12 / ours ="
        f" {pyx12_small / ours_small:.1f}x"
    )
    scaled = pyx12_small * segs_big / segs_small
    print(
        f"pyx12 on {args.claims:,} claims, scaled by segments: ~{scaled:.0f} s"
        f" ({scaled / ours_big:.1f}x ours)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
