#!/usr/bin/env python3
"""Stream files of growing size (default 250 MB, 500 MB, 1 GB) through a reader or a
validator: time and peak memory, to show the time linear in the size and the memory flat.

Usage::

    python benchmarks/bench_stream.py                    # 835s through edi835.iter_claims
    python benchmarks/bench_stream.py --sizes 50,100     # quicker
    python benchmarks/bench_stream.py --work 837-validate --sizes 100,200,400
    python benchmarks/bench_stream.py --trace 20         # where memory goes (tracemalloc, 20 MB)

``--work`` is what each process does: ``835-read`` (``edi835.iter_claims``, the default),
``837-read`` (``edi837.iter_claims``), ``835-tables`` (``edi835.frames.iter_rows`` into the
six CSV files, as ``edi835 parse -o DIR`` writes them), ``835-validate`` / ``837-validate``
(``edi835.validate`` / ``edi837.validate`` given the file's path: SNIP 1-5, the file read as
it is checked).

Each input is one interchange in ``--tmp`` (default /tmp) made of one transaction repeated
with fresh ST02/SE02 control numbers until the size is reached: for an 835 the shared
benchmark transaction (``../shared/bench/make_bench_835.py``: 20,000 balanced claims, 4.8 MB),
for an 837P ``edi837.fake.generate(20000, seed=1)`` (10.0 MB). It is written a transaction at a
time (never held in memory) and deleted afterwards (``--keep`` keeps it). Each read runs in a
process of its own (interpreter start and imports included) that counts the claims and sums
CLP04; its peak RSS is the child's own high-water mark (``VmHWM`` in ``/proc/self/status``;
``ru_maxrss`` elsewhere: on Linux it carries the parent's peak into the child across fork and
exec). A read is checked by its claim count and amount total (CLP04 / CLM02), a validation by
its segment count and its errors (the shared 835's ST03, which its guide does not use, is
the only one: one per transaction). The table goes to stdout and to
``benchmarks/out/stream.md`` (``stream-WORK.md`` for another ``--work``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKER = ROOT.parent / "shared" / "bench" / "make_bench_835.py"
DEFAULT_OUT = ROOT / "benchmarks" / "out"
MB = 1_000_000

_PEAK = """
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = usage.ru_maxrss / 1024
try:  # Linux: this process's own high-water mark (ru_maxrss includes the parent's, from fork)
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration, ValueError):
    pass
print(json.dumps({"claims": claims, "paid_total": str(paid), "peak_rss_mb": peak,
                  "cpu_s": usage.ru_utime + usage.ru_stime}))
"""
_READ = (
    """
import json, sys
from decimal import Decimal
import edi835
claims, paid = 0, Decimal(0)
with open(sys.argv[1], "rb") as fp:
    for _header, claim in edi835.iter_claims(fp):
        claims += 1
        paid += claim.paid
"""
    + _PEAK
)

_READ_837 = (
    """
import json, sys
from decimal import Decimal
import edi837
claims, paid = 0, Decimal(0)
with open(sys.argv[1], "rb") as fp:
    for claim in edi837.iter_claims(fp):
        claims += 1
        paid += claim.charge
"""
    + _PEAK
)

_TABLES = (
    """
import json, pathlib, sys, tempfile
from decimal import Decimal
from edi835 import frames
claims, paid = 0, Decimal(0)
with tempfile.TemporaryDirectory() as out_dir:  # what edi835 parse -o DIR does, summing CLP04
    out = frames._table_files(out_dir, "csv")
    for part in frames.iter_rows(pathlib.Path(sys.argv[1])):
        out.add(part)
        claims += len(part["claims"])
        paid += sum((row["paid"] for row in part["claims"]), Decimal(0))
    out.commit()
"""
    + _PEAK
)

_VALIDATE = (
    """
import json, pathlib, sys
import edi835, edi837
path = pathlib.Path(sys.argv[1])
report = (edi835 if path.suffix == ".835" else edi837).validate(path)
claims, paid = report.segments, str(len(report.errors))
"""
    + _PEAK
)

_TRACE = """
import sys, tracemalloc
import edi835
tracemalloc.start(25)
n = 0
peak_snapshot = None
with open(sys.argv[1], "rb") as fp:
    for _header, claim in edi835.iter_claims(fp):
        n += 1
        if n % 20000 == 0:
            current, peak = tracemalloc.get_traced_memory()
            if peak_snapshot is None or current > peak_snapshot[0]:
                peak_snapshot = (current, tracemalloc.take_snapshot())
current, peak = tracemalloc.get_traced_memory()
print(f"claims {n}; traced now {current / 1e6:.1f} MB, traced peak {peak / 1e6:.1f} MB")
if peak_snapshot is not None:
    print(f"largest sampled heap: {peak_snapshot[0] / 1e6:.1f} MB; top allocation sites:")
    for stat in peak_snapshot[1].statistics("lineno")[:15]:
        print(f"  {stat.size / 1e6:8.2f} MB {stat.count:9d} blocks  {stat.traceback[0]}")
"""


def load_maker() -> object:
    spec = importlib.util.spec_from_file_location("make_bench_835", MAKER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"benchmark input generator not found: {MAKER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def transaction_parts(claims: int) -> tuple[str, str, str, Decimal]:
    """(interchange header ISA+GS, one ST..SE transaction, trailer GE+IEA, its CLP04 sum) of
    the shared benchmark file, split at the segment terminator."""
    text: str = load_maker().build(claims)  # type: ignore[attr-defined]
    return split_parts(text, "CLP", 4)


def transaction_parts_837(claims: int) -> tuple[str, str, str, Decimal]:
    """The same parts of ``edi837.fake.generate(claims, seed=1)`` written by ``edi837.dumps``
    (the 837P of ``run_all.py``), with its CLM02 sum."""
    import datetime as dt

    sys.path.insert(0, str(ROOT / "src"))
    import edi837
    from edi837 import fake

    text = edi837.dumps(
        fake.generate(claims, seed=1),
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=dt.datetime(2024, 5, 1),
    )
    return split_parts(text, "CLM", 2)


def split_parts(text: str, seg_id: str, amount: int) -> tuple[str, str, str, Decimal]:
    """``text`` (one interchange, one group, one transaction) cut before ST and at GE; the sum
    of element ``amount`` of its ``seg_id`` segments."""
    term = text[105]
    st = text.index(f"{term}\nST") + 2 if f"{term}\nST" in text else text.index(f"{term}ST") + 1
    ge = text.index("GE" + text[3], st)
    body = text[st:ge]
    element = text[3]
    total = sum(
        (
            Decimal(seg.strip().split(element)[amount])
            for seg in body.split(term)
            if seg.strip().startswith(seg_id + element)
        ),
        Decimal(0),
    )
    return text[:st], body, text[ge:], total


def build(path: Path, size_mb: float, parts: tuple[str, str, str, Decimal]) -> tuple[int, Decimal]:
    """Write an interchange of about ``size_mb`` MB repeating the transaction of ``parts``;
    return (transactions, amount total)."""
    header, body, trailer, paid = parts
    element = header[3]
    tx_id = body.split(element, 2)[1]  # ST01
    st_prefix = f"ST{element}{tx_id}{element}"
    first_st = body.split(element, 3)[2]  # ST02 as generated
    se_tail = f"{element}{first_st}"
    count = max(1, round(size_mb * MB / len(body)))
    with path.open("w", encoding="ascii", newline="") as fp:
        fp.write(header)
        for i in range(count):
            control = f"{i + 1:09d}"
            tx = body.replace(f"{st_prefix}{first_st}", f"{st_prefix}{control}", 1)
            cut = tx.rindex(se_tail)
            fp.write(tx[:cut] + f"{element}{control}" + tx[cut + len(se_tail) :])
        g = trailer.split(element)
        g[1] = str(count)  # GE01: transaction sets in the group
        fp.write(element.join(g))
    return count, paid * count


@dataclass(frozen=True)
class Work:
    """What each process does with a file, and what it must answer for ``n`` transactions."""

    title: str
    code: str
    suffix: str
    validates: bool  # the answer is (segments, errors), not (claims, amount total)


WORKS = {
    "835-read": Work("Streaming an 835 with edi835.iter_claims", _READ, ".835", False),
    "837-read": Work("Streaming an 837P with edi837.iter_claims", _READ_837, ".837", False),
    "835-tables": Work(
        "An 835's six tables streamed to CSV files (edi835.frames.iter_rows, as edi835 parse -o)",
        _TABLES,
        ".835",
        False,
    ),
    "835-validate": Work(
        "Validating an 835 by its path (edi835.validate)", _VALIDATE, ".835", True
    ),
    "837-validate": Work(
        "Validating an 837P by its path (edi837.validate)", _VALIDATE, ".837", True
    ),
}


def run_child(code: str, path: Path, timeout: float) -> tuple[float, str]:
    """(wall seconds, stdout) of ``python -c code path`` with src on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"timed out after {timeout:.0f} s on {path}") from None
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"reader failed on {path}: {proc.stderr.strip()[-500:]}")
    return wall, proc.stdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250,500,1000", help="MB, comma-separated")
    parser.add_argument("--work", choices=sorted(WORKS), default="835-read", help="what is timed")
    parser.add_argument("--claims", type=int, default=20000, help="claims per transaction")
    parser.add_argument("--tmp", type=Path, default=Path("/tmp"), help="where inputs go")
    parser.add_argument("--keep", action="store_true", help="keep the generated inputs")
    parser.add_argument("--trace", type=float, help="tracemalloc run on a file of this many MB")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per read")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results directory")
    args = parser.parse_args(argv)
    work = WORKS[args.work]
    if work.suffix == ".835" and not MAKER.exists():
        print(f"benchmark input generator not found: {MAKER}", file=sys.stderr)
        return 2
    parts = (
        transaction_parts(args.claims)
        if work.suffix == ".835"
        else transaction_parts_837(args.claims)
    )

    if args.trace:
        path = args.tmp / f"x12bench-stream-trace-{args.trace:g}MB.835"
        build(path, args.trace, transaction_parts(args.claims))
        try:
            _, out = run_child(_TRACE, path, args.timeout)
        finally:
            if not args.keep:
                path.unlink(missing_ok=True)
        print(out)
        return 0

    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    tx_segments = parts[1].count(parts[0][105])  # ST .. SE
    rows = []
    for size in sizes:
        path = args.tmp / f"x12bench-stream-{size:g}MB{work.suffix}"
        print(f"… building {size:g} MB", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        transactions, paid = build(path, size, parts)
        built = time.perf_counter() - t0
        actual = path.stat().st_size
        print(f"  built in {built:.1f} s; {args.work}", file=sys.stderr, flush=True)
        try:
            wall, out = run_child(work.code, path, args.timeout)
        finally:
            if not args.keep:
                path.unlink(missing_ok=True)
        result = json.loads(out.strip().splitlines()[-1])
        rss = float(result["peak_rss_mb"])
        claims = transactions * args.claims
        if work.validates:  # (segments, errors): the shared 835's ST03 once per transaction
            errors = transactions if work.suffix == ".835" else 0
            ok = (
                result["claims"] == transactions * tx_segments
                and int(result["paid_total"]) == errors
            )
        else:
            ok = result["claims"] == claims and Decimal(result["paid_total"]) == paid
        cpu = float(result["cpu_s"])
        rows.append((actual, claims, wall, cpu, rss, ok))
        print(
            f"  {wall:.1f} s ({cpu:.1f} s CPU), {rss:.0f} MB peak RSS", file=sys.stderr, flush=True
        )

    base = rows[0][2] / rows[0][0] if rows else 1.0
    cpu_base = rows[0][3] / rows[0][0] if rows else 1.0
    lines = [
        f"# {work.title}",
        "",
        f"Python {sys.version.split()[0]}; {os.cpu_count()} vCPU; "
        f"run {time.strftime('%Y-%m-%d %H:%M')}. Each row is one process (start, import, "
        + (
            "validate the file by its path"
            if work.validates
            else "stream every claim, sum its amount"
        )
        + "); peak RSS of that process. CPU s is the process's "
        "user + system time, which other load on the machine disturbs less than wall time: "
        "its per-MB ratio to the first row is the linearity check.",
        "",
        "| file MB | claims | wall s | CPU s | MB/s | µs/claim | wall s/MB ÷ first row "
        "| CPU s/MB ÷ first row | peak RSS MB | check |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size, claims, wall, cpu, rss, ok in rows:
        lines.append(
            f"| {size / MB:.0f} | {claims:,} | {wall:.1f} | {cpu:.1f} | {size / MB / wall:.1f} "
            f"| {wall / claims * 1e6:.1f} | {(wall / size) / base:.2f} "
            f"| {(cpu / size) / cpu_base:.2f} | {rss:.0f} | {'ok' if ok else 'MISMATCH'} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "stream.md" if args.work == "835-read" else f"stream-{args.work}.md"
    (args.out / name).write_text(table, encoding="utf-8")
    return 0 if all(r[5] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
