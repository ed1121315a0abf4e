"""Smoke tests of benchmarks/run_all.py: the harness prints its table and never crashes on a
tool that is missing or broken (no peers are installed in CI)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_ALL = ROOT / "benchmarks" / "run_all.py"
MAKER = ROOT.parent / "shared" / "bench" / "make_bench_835.py"

needs_bench = pytest.mark.skipif(
    not MAKER.exists(), reason=f"shared benchmark input generator absent: {MAKER}"
)


def load_run_all() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run_all", RUN_ALL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@needs_bench
def test_quick_run_prints_the_table(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(RUN_ALL), "--quick", "--only", "x12-tokenize", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "| tool | what is timed | wall s (median) | in-process s | peak RSS MB |" in proc.stdout
    assert "## 835 read: 2,000 claims" in proc.stdout
    row = next(line for line in proc.stdout.splitlines() if line.startswith("| x12-tokenize |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert float(cells[2]) > 0  # a wall time, not "not available"
    assert cells[7] == "ok"  # 2,000 claims and their CLP04 sum found
    assert (tmp_path / "results.md").read_text(encoding="utf-8") == proc.stdout.rstrip("\n") + "\n"
    assert (tmp_path / "results.json").exists()


def test_absent_and_broken_tools_are_reported_not_raised(tmp_path: Path) -> None:
    run_all = load_run_all()
    data = tmp_path / "in.835"
    data.write_text("ISA", encoding="ascii")
    expected = (1, Decimal("1"))
    missing = run_all.Tool(
        name="ghost",
        kind="peer",
        description="not set up",
        argv=lambda path: [str(tmp_path / "nope" / "python"), str(path)],
        python=tmp_path / "nope" / "python",
    )
    broken = run_all.Tool(
        name="ours-broken",
        kind="ours",
        description="API not landed",
        argv=lambda path: [sys.executable, "-c", "import edi835_missing_module", str(path)],
        python=Path(sys.executable),
    )
    silent = run_all.Tool(
        name="silent-peer",
        kind="peer",
        description="prints no JSON",
        argv=lambda path: [sys.executable, "-c", "print('hello')", str(path)],
        python=Path(sys.executable),
    )
    results = [run_all.time_tool(t, data, 1, 60.0, expected) for t in (missing, broken, silent)]
    assert [r.status for r in results] == ["not installed", "not available", "failed"]
    assert "ModuleNotFoundError" in results[1].note
    table = run_all.render(
        results,
        {},
        {"claims": "1", "input_835": "1 claim", "machine": "m", "runs": "1", "date": "d"},
    )
    assert "| ghost | not set up | not installed |" in table
    assert "| ours-broken | API not landed | not available |" in table


def test_wrong_counts_are_flagged() -> None:
    run_all = load_run_all()
    expected = (2, Decimal("10.00"))
    assert run_all.check_output({"claims": 2, "paid_total": "10"}, expected) == "ok"
    assert run_all.check_output({"claims": 1, "paid_total": "10"}, expected) == "claims 1 != 2"
    assert "paid 9.99 != 10.00" in run_all.check_output(
        {"claims": 2, "paid_total": "9.99"}, expected
    )
    assert (
        run_all.check_output({"claims": 2, "paid_total": "7", "paid_kind": "BPR02"}, expected)
        == "paid is BPR02"
    )


def test_payer_per_variant_keeps_the_counts_right() -> None:
    run_all = load_run_all()
    isa = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *240110*0900*^*00501*000000101*0*T*:~"
    assert len(isa) == 106 and isa[105] == "~"
    body = [
        "ST*835*0001",
        "BPR*I*1*C*CHK",
        "N1*PR*PAYER",
        "PER*CX*X",
        "PER*BL*Y",
        "N1*PE*PAYEE",
        "PER*ZZ*kept: not in 1000A",
        "LX*1",
        "CLP*A*1*2*1**12*B",
        "SE*9*0001",
    ]
    text = isa + "\n" + "~\n".join(body) + "~\nIEA*1*000000101~\n"
    out = run_all.drop_payer_per(text)
    assert "PER*CX" not in out and "PER*BL" not in out
    assert "PER*ZZ" in out
    assert "SE*7*0001" in out
    assert run_all.expected_of(out) == (1, Decimal("1"))


@needs_bench
def test_every_workload_runs_on_a_small_input(tmp_path: Path) -> None:
    """Our commands for the 835 tables and validation, the 837P read, write and validation,
    on 60 claims: each row ok (counts, totals, identical rewrite, no validation errors)."""
    ours = "x12-claims,x12-claims-tables,x12-claims-validate"
    argv = [sys.executable, str(RUN_ALL), "--claims", "60", "--runs", "1", "--only", ours]
    proc = subprocess.run(
        [*argv, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    sections = proc.stdout.split("\n## ")[1:]
    titles = [s.split(":", 1)[0] for s in sections]
    assert titles == ["835 read", "835 validation", "837P read", "837P write", "837P validation"]
    for section in sections:
        rows = [ln for ln in section.splitlines() if ln.startswith("| x12-claims")]
        assert rows, section
        for row in rows:
            cells = [c.strip() for c in row.strip("|").split("|")]
            check = cells[7] if section.startswith("835 read") else cells[6]
            assert check == "ok", row
            assert float(cells[3]) > 0  # the in-process time the command reported
    assert "oxedi" not in sections[2]  # the native column belongs to the 835 read only


def test_generic_checks() -> None:
    run_all = load_run_all()
    want = {"claims": 2, "total": Decimal("10.50"), "same_text": True}
    assert run_all.check_output({"claims": 2, "total": "10.5", "same_text": True}, want) == "ok"
    assert run_all.check_output({"claims": 2, "total": "10.49"}, want) == "total 10.49 != 10.50"
    assert run_all.check_output({"same_text": False}, want) == "same_text False != True"
    assert run_all.check_output({"other": 1}, want).startswith("printed none of")


def test_837_expectations_and_segment_counts() -> None:
    run_all = load_run_all()
    isa = "ISA*00*          *00*          *ZZ*A              *ZZ*B              *240110*0900*^*00501*000000101*0*T*:~"
    body = ["GS*HC*A*B*20240110*0900*1*X*005010X222A1", "ST*837*0001*005010X222A1"]
    body += ["CLM*A1*100.25***11:B:1*Y*A*Y*Y", "CLM*A2*9.75***11:B:1*Y*A*Y*Y", "SE*4*0001"]
    text = isa + "\n" + "~\n".join([*body, "GE*1*1", "IEA*1*000000101"]) + "~\n"
    assert run_all.expected_of_837(text) == (2, Decimal("110.00"))
    assert run_all.segment_count(text) == 8
    assert run_all.transaction_segments(text) == 4
    assert run_all.st03_count(text.replace("ST*837", "ST*835")) == 1


def test_select_by_workload() -> None:
    run_all = load_run_all()
    tools = [*run_all.OURS, *run_all.PEERS]
    chosen = run_all.select(tools, [], [], ["837-write"])
    assert [t.workload for t in chosen] == ["837-write"]
    with pytest.raises(SystemExit, match="unknown workload"):
        run_all.select(tools, [], [], ["nope"])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_peak_rss_is_the_commands_own() -> None:
    # wait4's ru_maxrss would give at least this (large) test process's peak to any child
    run_all = load_run_all()
    ballast = bytearray(200 << 20)  # make this process's peak well above a bare interpreter
    ballast[::4096] = b"x" * len(ballast[::4096])
    _, _, small, _, _ = run_all.run_once([sys.executable, "-c", "pass"], {}, timeout=60)
    grow = (
        "b = bytearray(120 << 20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(0.05)"
    )
    _, _, large, _, _ = run_all.run_once([sys.executable, "-c", grow], {}, timeout=60)
    del ballast
    assert 0 < small < 100, small
    assert large >= 120, large
