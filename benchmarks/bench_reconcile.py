#!/usr/bin/env python3
"""Time claim reconciliation on generated data.

Usage: PYTHONPATH=src python benchmarks/bench_reconcile.py [--claims 100000] [--files]

Generates ``--claims`` professional claims (``edi837.fake``), writes them as an 837P,
adjudicates them with the 835 fake (``edi835.fake.adjudicate``; about 10 % of the claim
payments are dropped so that some claims stay unanswered) and times:

* engine: :func:`models.reconcile.reconcile` on the models (matching, statuses, amounts,
  summaries), median of ``--runs``;
* files (with ``--files``): :func:`edi835.reconcile.reconcile_files` on the 837 and 835
  files, i.e. reading both and reconciling.

Generation time is printed apart; it is not what is measured.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import tempfile
import time

import attrs

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import edi835  # noqa: E402
import edi837  # noqa: E402
from edi835 import fake as fake835  # noqa: E402
from edi835.reconcile import reconcile_files  # noqa: E402
from edi835.writer import dumps as dumps_835  # noqa: E402
from edi837 import fake as fake837  # noqa: E402
from models.reconcile import reconcile  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--files", action="store_true", help="also time reconcile_files")
    args = ap.parse_args()

    t0 = time.perf_counter()
    claims = fake837.generate(args.claims, seed=1)
    text = edi837.dumps(claims, submitter=fake837.submitter(), receiver=fake837.receiver())
    inputs, parties = fake835.claims_from_837(text)
    remit = fake835.adjudicate(inputs, seed=1, parties=parties)
    kept = tuple(p for i, p in enumerate(remit.claims) if i % 10 != 3)
    remit = attrs.evolve(remit, groups=(attrs.evolve(remit.groups[0], claims=kept),))
    gen = time.perf_counter() - t0
    lines = sum(len(c.service_lines) for c in claims)
    print(
        f"generated {len(claims)} claims ({lines} lines), {len(kept)} claim payments in {gen:.1f} s"
    )

    times = []
    report = None
    for _ in range(args.runs):
        t = time.perf_counter()
        report = reconcile(claims, [remit])
        times.append(time.perf_counter() - t)
    assert report is not None
    counts: dict[str, int] = {}
    for c in report.claims:
        counts[c.status] = counts.get(c.status, 0) + 1
    print(
        f"engine: reconcile {len(claims)} claims / {len(kept)} payments: "
        f"median {statistics.median(times):.2f} s (runs: {', '.join(f'{x:.2f}' for x in times)})"
    )
    print("statuses:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    if args.files:
        with tempfile.TemporaryDirectory() as d:
            p837 = pathlib.Path(d) / "claims.837"
            p835 = pathlib.Path(d) / "remit.835"
            p837.write_text(text)
            p835.write_text(dumps_835([remit]))
            t = time.perf_counter()
            rep = reconcile_files([p837], [p835])
            el = time.perf_counter() - t
            mb = (p837.stat().st_size + p835.stat().st_size) / 1e6
            print(
                f"files: reconcile_files (read 837 + 835, {mb:.0f} MB, and reconcile): "
                f"{el:.1f} s for {len(rep.claims)} claims"
            )
            t = time.perf_counter()
            edi837.read(p837.read_bytes())
            t837 = time.perf_counter() - t
            t = time.perf_counter()
            edi835.loads(p835.read_bytes())
            t835 = time.perf_counter() - t
            print(f"  of which reading the 837: {t837:.1f} s, reading the 835: {t835:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
