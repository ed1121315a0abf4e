"""Time the syntax layer on the shared 835 benchmark input (not a timed test).

Usage: python benchmarks/bench_tokenize.py [N_CLAIMS=20000]
Builds the input with ../shared/bench/make_bench_835.py, then reports the median of 5 runs of
tokenizing the whole text in memory, streaming it in 1 MB chunks, and walking its envelopes.
"""

from __future__ import annotations

import io
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

from x12.envelope import EnvelopeReader
from x12.tokenizer import iter_segment_batches, tokenize

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAKER = ROOT.parent / "shared" / "bench" / "make_bench_835.py"


def median_time(fn: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    n = sys.argv[1] if len(sys.argv) > 1 else "20000"
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "bench.835"
        subprocess.run([sys.executable, str(MAKER), str(path), n], check=True, capture_output=True)
        data = path.read_bytes()
    text = data.decode("ascii")
    mb = len(data) / 1e6
    rows = [
        ("tokenize (str in memory)", median_time(lambda: tokenize(text))),
        ("tokenize (bytes, decode included)", median_time(lambda: tokenize(data))),
        (
            "stream 1 MB chunks",
            median_time(lambda: sum(len(b) for b, _, _ in iter_segment_batches(io.BytesIO(data)))),
        ),
        (
            "envelope walk (all segments)",
            median_time(
                lambda: sum(1 for tx in EnvelopeReader(io.BytesIO(data)).transactions() for _ in tx)
            ),
        ),
    ]
    print(f"input: {n} claims, {mb:.1f} MB")
    print(f"| {'step':36} | {'median s':>8} | {'MB/s':>6} |")
    print(f"|{'-' * 38}|{'-' * 10}|{'-' * 8}|")
    for name, secs in rows:
        print(f"| {name:36} | {secs:8.3f} | {mb / secs:6.1f} |")


if __name__ == "__main__":
    main()
