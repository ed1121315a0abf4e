#!/usr/bin/env python3
"""Time the 835 reader as whole processes on the shared 20,000-claim benchmark file.

Usage: python benchmarks/bench_835.py [--claims N] [--runs 3]

Builds the input with ../shared/bench/make_bench_835.py, then runs each case as its own
process (start, import, read, walk) ``--runs`` times and prints the median wall time and the
peak RSS (the process's own high-water mark, as ``run_all.py`` reads it) as a markdown
table:

* python start: the interpreter alone (the floor of every process);
* import: ``import edi835`` alone;
* tokenize only: ``x12.tokenizer.tokenize`` of the whole file (the floor of every reader);
* models: ``edi835.load`` into typed Remittance / ClaimPayment / ServicePayment models;
* stream: ``edi835.iter_claims``, one claim at a time (bounded memory);
* records: ``edi835.load_records`` into payment and denial record tables.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

import run_all  # beside this script

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAKER = ROOT.parent / "shared" / "bench" / "make_bench_835.py"

CASES = {
    "python start (floor)": "pass",
    "import edi835": "import edi835",
    "tokenize only": (
        "import sys\n"
        "from x12.tokenizer import tokenize\n"
        "with open(sys.argv[1], 'rb') as fp:\n"
        "    print(len(tokenize(fp.read())))\n"
    ),
    "load -> models": (
        "import sys, edi835\n"
        "with open(sys.argv[1], 'rb') as fp:\n"
        "    rems = edi835.load(fp)\n"
        "n = sum(len(r.claims) for r in rems)\n"
        "paid = sum(c.paid for r in rems for c in r.claims)\n"
        "print(n, paid)\n"
    ),
    "iter_claims (stream)": (
        "import sys, edi835\n"
        "n = 0\n"
        "with open(sys.argv[1], 'rb') as fp:\n"
        "    for _h, c in edi835.iter_claims(fp):\n"
        "        n += 1\n"
        "print(n)\n"
    ),
    "load_records -> records": (
        "import sys, edi835\n"
        "with open(sys.argv[1], 'rb') as fp:\n"
        "    t = edi835.load_records(fp)\n"
        "print(len(t['claims']), len(t['service_lines']), len(t['denials']))\n"
    ),
}


def run_once(code: str, path: pathlib.Path) -> tuple[float, float, str]:
    """(wall s, peak RSS MB, stdout) of one case, run as run_all.py runs a command."""
    env = {"PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    status, wall, rss_mb, out, _err = run_all.run_once(
        [sys.executable, "-c", code, str(path)], env, timeout=3600
    )
    if status != 0:
        raise SystemExit(f"benchmark case failed (status {status}): {code[:60]!r}")
    return wall, rss_mb, out.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not MAKER.is_file():
        raise SystemExit(f"the shared benchmark maker is not at {MAKER}")
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "bench.835"
        subprocess.run([sys.executable, str(MAKER), str(path), str(args.claims)], check=True)
        size = path.stat().st_size
        rows = []
        for name, code in CASES.items():
            results = [run_once(code, path) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in results)
            rss = max(r[1] for r in results)
            rows.append((name, wall, rss, results[0][2]))
    print(f"\n835 benchmark: {args.claims} claims, {size / 1e6:.1f} MB, median of {args.runs}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    print("| case | wall (s) | peak RSS (MB) | output |")
    print("|---|---:|---:|---|")
    for name, wall, rss, out in rows:
        print(f"| {name} | {wall:.2f} | {rss:.0f} | {out} |")


if __name__ == "__main__":
    main()
