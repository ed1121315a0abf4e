"""Smoke test of benchmarks/bench_stream.py: each workload builds its growing inputs, runs one
process per size and checks what it answers (claims and amount total, or the validation's
segment count and errors) against what was written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH_STREAM = ROOT / "benchmarks" / "bench_stream.py"
MAKER = ROOT.parent / "shared" / "bench" / "make_bench_835.py"


@pytest.mark.parametrize("work", ["835-read", "837-read", "835-validate", "837-validate"])
def test_each_workload_answers_what_was_written(work: str, tmp_path: Path) -> None:
    if work.startswith("835") and not MAKER.exists():
        pytest.skip(f"shared benchmark input generator absent: {MAKER}")
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH_STREAM),
            "--work",
            work,
            "--sizes",
            "0.1,0.2",
            "--claims",
            "100",
            "--tmp",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    name = "stream.md" if work == "835-read" else f"stream-{work}.md"
    table = (tmp_path / "out" / name).read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ") and "file MB" not in line]
    assert len(rows) == 2
    assert all(row.endswith("| ok |") for row in rows), table
    assert not list(tmp_path.glob("x12bench-stream-*"))  # the inputs are deleted
