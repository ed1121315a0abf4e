#!/usr/bin/env python3
"""Time x12-claims beside its peers on the same 835, as whole processes, in one run.

Usage::

    benchmarks/peers/setup_peers.sh          # once: one virtual environment per peer
    python benchmarks/run_all.py             # 20,000 claims, median of 3 runs
    python benchmarks/run_all.py --quick     # 2,000 claims, 1 run (smoke test)
    python benchmarks/run_all.py --only x12-tokenize,oxedi --runs 5

The input is the shared 835 the README quotes (``../shared/bench/make_bench_835.py``, resolved
beside the repository). Every tool is one command run as a whole process (start, import, parse
into its own objects, walk them: count the claims and sum CLP04) and must print one line of JSON
``{"claims": N, "paid_total": "..."}``; the harness checks both against the input. Wall time is
the median of the runs; peak RSS the largest ``ru_maxrss`` of the process (``os.wait4``).

Peers are the ``PEERS`` registry: scripts in ``benchmarks/peers/`` run with the interpreter of
``benchmarks/.venvs/<venv>``; a peer whose environment is missing is listed as "not installed".
Our own commands are the ``OURS`` registry, run with this interpreter and ``src`` on the path;
one that fails (an API that has not landed yet) is listed as "not available". Nothing here
raises because a tool is absent or broken: the table says so.

The table (markdown) is printed and written to ``benchmarks/out/results.md`` (``--out DIR``),
with a JSON copy beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
PEERS_DIR = BENCH / "peers"
VENVS = BENCH / ".venvs"
SHARED_BENCH = ROOT.parent / "shared" / "bench"
MAKER = SHARED_BENCH / "make_bench_835.py"
DEFAULT_OUT = BENCH / "out"


# --------------------------------------------------------------------------------------------
# Input variants: a peer that cannot read the shared file as is gets the smallest change it needs.


def drop_payer_per(text: str) -> str:
    """Remove the PER segments of loop 1000A (payer contacts) and fix SE01 to match.

    linuxforhealth-x12 0.57.0 rejects every 835 whose 1000A carries a PER (its parser stores
    the PER where its model expects a list, then the SE01 count check fails too), although the
    guide requires the PER*BL there. Two segments of 210,020 go; the timing is unaffected.
    """
    element = text[3]
    terminator = text[105]
    segments = text.split(terminator)
    out: list[str] = []
    in_payer = False
    removed = 0
    for seg in segments:
        seg_id = seg.strip().split(element, 1)[0]
        if seg_id == "N1":
            in_payer = seg.strip().split(element)[1:2] == ["PR"]
        elif seg_id in ("LX", "CLP", "PLB", "SE"):
            in_payer = False
        if in_payer and seg_id == "PER":
            removed += 1
            continue
        if seg_id == "SE" and removed:
            lead = seg[: len(seg) - len(seg.lstrip())]
            fields = seg.strip().split(element)
            fields[1] = str(int(fields[1]) - removed)
            seg = lead + element.join(fields)
            removed = 0
        out.append(seg)
    return terminator.join(out)


VARIANTS: dict[str, Callable[[str], str]] = {"no-payer-per": drop_payer_per}


# --------------------------------------------------------------------------------------------
# The registries.


@dataclass(frozen=True)
class Tool:
    """One command to time. ``argv(file)`` is the whole command line."""

    name: str
    kind: str  # "peer" or "ours"
    description: str
    argv: Callable[[Path], list[str]]
    python: Path
    env: dict[str, str] = field(default_factory=dict)
    variant: str | None = None  # key of VARIANTS: the input this tool is given
    pure_python: bool = True
    reference: bool = False  # the native reference the ratios also use (oxedi)
    versions: tuple[str, ...] = ()  # distributions whose versions are reported


def peer(
    name: str,
    venv: str,
    description: str,
    *,
    versions: tuple[str, ...],
    variant: str | None = None,
    pure_python: bool = True,
    reference: bool = False,
) -> Tool:
    script = PEERS_DIR / f"parse_{name}.py"
    python = VENVS / venv / "bin" / "python"
    return Tool(
        name=name,
        kind="peer",
        description=description,
        argv=lambda path: [str(python), str(script), str(path)],
        python=python,
        variant=variant,
        pure_python=pure_python,
        reference=reference,
        versions=versions,
    )


PEERS: list[Tool] = [
    peer(
        "oxedi",
        "oxedi",
        "parse_file, count_claims, sum_payments (Rust core)",
        versions=("oxedi",),
        pure_python=False,
        reference=True,
    ),
    peer(
        "oxedi-polars",
        "oxedi",
        "parse_file, claims table to Polars, sum CLP04 (Rust core)",
        versions=("oxedi", "polars"),
        pure_python=False,
    ),
    peer("openx12", "openx12", "x835.parse: dicts", versions=("openx12",)),
    peer(
        "edi-835-parser",
        "edi-835-parser",
        "parse: TransactionSets of ClaimLoops",
        versions=("edi-835-parser",),
    ),
    peer(
        "x12sdk",
        "x12sdk",
        "X12ModelReader: Pydantic 2 models, claims()",
        versions=("x12sdk", "pydantic"),
    ),
    peer(
        "linuxforhealth-x12",
        "linuxforhealth-x12",
        "X12ModelReader: Pydantic 1 models (input without the 1000A PERs)",
        versions=("linuxforhealth-x12", "pydantic"),
        variant="no-payer-per",
    ),
    peer(
        "pyx12",
        "pyx12",
        "X12ContextReader: 2100 loop trees (validates as it walks)",
        versions=("pyx12",),
    ),
]

# Our commands: ``python -c CODE FILE`` with src on the path. Each walks what it read the same
# way the peers do and prints the same JSON line.
_OURS_MODELS = """
import json, sys
from decimal import Decimal
import edi835
with open(sys.argv[1], "rb") as fp:
    remittances = edi835.load(fp)
claims, paid = 0, Decimal(0)
for remittance in remittances:
    for claim in remittance.claims:
        claims += 1
        paid += claim.paid
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))
"""

_OURS_RECORDS = """
import json, sys
from decimal import Decimal
import edi835
with open(sys.argv[1], "rb") as fp:
    tables = edi835.load_records(fp)
rows = tables["claims"]
claims, paid = 0, Decimal(0)
for row in rows:
    claims += 1
    paid += Decimal(row["paid"] if isinstance(row, dict) else row.paid)
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))
"""

_OURS_STREAM = """
import json, sys
from decimal import Decimal
import edi835
claims, paid = 0, Decimal(0)
with open(sys.argv[1], "rb") as fp:
    for _header, claim in edi835.iter_claims(fp):
        claims += 1
        paid += claim.paid
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))
"""

_OURS_TOKENIZE = """
import json, sys
from decimal import Decimal
from x12.tokenizer import tokenize
with open(sys.argv[1], "rb") as fp:
    segments = tokenize(fp.read())
claims, paid = 0, Decimal(0)
for seg in segments:
    if seg[0] == "CLP":
        claims += 1
        paid += Decimal(seg[4])
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f")}))
"""


def ours(name: str, description: str, code: str) -> Tool:
    python = Path(sys.executable)
    src = str(ROOT / "src")
    path = os.environ.get("PYTHONPATH")
    return Tool(
        name=name,
        kind="ours",
        description=description,
        argv=lambda file: [str(python), "-c", code, str(file)],
        python=python,
        env={"PYTHONPATH": src + (os.pathsep + path if path else "")},
        versions=("x12-claims",),
    )


OURS: list[Tool] = [
    ours("x12-claims", "edi835.load: typed Remittance models", _OURS_MODELS),
    ours("x12-claims-stream", "edi835.iter_claims: typed claims, streamed", _OURS_STREAM),
    ours("x12-claims-records", "edi835.load_records: claims table rows", _OURS_RECORDS),
    ours("x12-tokenize", "x12.tokenizer.tokenize alone (the floor)", _OURS_TOKENIZE),
]


# --------------------------------------------------------------------------------------------
# Running.


@dataclass
class Result:
    tool: Tool
    status: str  # "ok", "failed", "not installed", "not available", "timeout"
    times: list[float] = field(default_factory=list)
    rss_mb: float | None = None
    output: dict[str, object] | None = None
    check: str = ""
    note: str = ""

    @property
    def wall(self) -> float | None:
        return statistics.median(self.times) if self.times else None


def run_once(
    argv: list[str], env: dict[str, str], timeout: float
) -> tuple[int, float, float, str, str]:
    """Run a command as a whole process: (exit code, wall s, peak RSS MB, stdout, stderr)."""
    full_env = {**os.environ, **env}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=full_env
        )
        deadline = start + timeout
        status = None
        usage = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise TimeoutError(f"over {timeout:.0f} s")
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        maxrss = usage.ru_maxrss  # KiB on Linux, bytes on macOS
        rss_mb = maxrss / (1 << 20) if sys.platform == "darwin" else maxrss / 1024
        out.seek(0)
        err.seek(0)
        return (
            proc.returncode,
            wall,
            rss_mb,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def check_output(output: dict[str, object], expected: tuple[int, Decimal]) -> str:
    claims, paid = expected
    problems = []
    if output.get("claims") != claims:
        problems.append(f"claims {output.get('claims')} != {claims}")
    try:
        got = Decimal(str(output.get("paid_total")))
    except InvalidOperation:
        got = None
    if output.get("paid_kind"):
        problems.append(f"paid is {output['paid_kind']}")
    elif got != paid:
        problems.append(f"paid {output.get('paid_total')} != {paid}")
    return "ok" if not problems else "; ".join(problems)


def time_tool(
    tool: Tool, path: Path, runs: int, timeout: float, expected: tuple[int, Decimal]
) -> Result:
    if not tool.python.exists():
        return Result(tool, "not installed", note="run benchmarks/peers/setup_peers.sh")
    result = Result(tool, "ok")
    for _ in range(runs):
        try:
            code, wall, rss, stdout, stderr = run_once(tool.argv(path), tool.env, timeout)
        except TimeoutError as exc:
            result.status, result.note = "timeout", str(exc)
            return result
        except OSError as exc:
            result.status, result.note = "failed", str(exc)
            return result
        if code != 0:
            result.status = "not available" if tool.kind == "ours" else "failed"
            result.note = last_line(stderr)[:160] or f"exit {code}"
            result.times = []
            return result
        try:
            output = json.loads(last_line(stdout))
            if not isinstance(output, dict):
                raise ValueError(output)
        except ValueError:
            result.status, result.note = "failed", f"no JSON result: {last_line(stdout)[:80]!r}"
            result.times = []
            return result
        result.times.append(wall)
        result.rss_mb = max(rss, result.rss_mb or 0.0)
        result.output = output
    assert result.output is not None
    result.check = check_output(result.output, expected)
    return result


# --------------------------------------------------------------------------------------------
# Versions, machine, table.


_VERSION_CODE = """
import json, sys
from importlib.metadata import PackageNotFoundError, version
out = {}
for name in sys.argv[1:]:
    try:
        out[name] = version(name)
    except PackageNotFoundError:
        pass
print(json.dumps(out))
"""


def tool_versions(tool: Tool) -> str:
    if not tool.python.exists():
        return ""
    if tool.kind == "ours":
        return our_version()
    try:
        proc = subprocess.run(
            [str(tool.python), "-c", _VERSION_CODE, *tool.versions],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        found = json.loads(proc.stdout or "{}")
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return ""
    return ", ".join(f"{k} {v}" for k, v in found.items())


def our_version() -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        rev = proc.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        rev = ""
    return f"git {rev}" if rev else "working tree"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / (1 << 20):.1f} GiB RAM"
                break
    except (OSError, ValueError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} vCPU{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def fmt_ratio(value: float | None, ref: float | None) -> str:
    if value is None or not ref:
        return "–"
    return f"{value / ref:.2f}"


def render(results: Sequence[Result], versions: dict[str, str], info: dict[str, str]) -> str:
    ok = [r for r in results if r.status == "ok" and r.wall is not None]
    pure = [r for r in ok if r.tool.kind == "peer" and r.tool.pure_python]
    fastest_pure = min(pure, key=lambda r: r.wall or 0.0) if pure else None
    ref = next((r for r in ok if r.tool.reference), None)
    ref_pure = fastest_pure.wall if fastest_pure else None
    ref_native = ref.wall if ref else None
    pure_name = fastest_pure.tool.name if fastest_pure else "fastest pure-Python peer"
    native_name = ref.tool.name if ref else "oxedi"
    lines = [
        f"# 835 read benchmark: {info['claims']} claims ({info['segments']}, {info['size']})",
        "",
        f"Machine: {info['machine']}.  ",
        f"Run: {info['date']}, wall time median of {info['runs']} run(s) of each whole process "
        "(start, import, parse into the tool's own objects, walk them); peak RSS of the process. "
        "Ratios are time ÷ the reference's time (below 1 = faster than it).",
        "",
        f"| tool | what is timed | wall s (median) | peak RSS MB | ÷ {pure_name} "
        f"| ÷ {native_name} | check | version |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    order = {"ok": 0, "failed": 1, "timeout": 1, "not available": 2, "not installed": 3}
    ranked = sorted(
        results,
        key=lambda r: (order.get(r.status, 9), r.wall if r.wall is not None else 0.0),
    )
    for r in ranked:
        version = versions.get(r.tool.name, "")
        if r.status == "ok":
            wall = f"{r.wall:.3f}" if (r.wall or 0) < 10 else f"{r.wall:.1f}"
            rss = f"{r.rss_mb:.0f}" if r.rss_mb is not None else "–"
            lines.append(
                f"| {r.tool.name} | {r.tool.description} | {wall} | {rss} "
                f"| {fmt_ratio(r.wall, ref_pure)} | {fmt_ratio(r.wall, ref_native)} "
                f"| {r.check} | {version} |"
            )
        else:
            note = r.note.replace("|", "\\|")
            lines.append(
                f"| {r.tool.name} | {r.tool.description} | {r.status} | – | – | – "
                f"| {note} | {version} |"
            )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Inputs and main.


def make_input(path: Path, claims: int) -> None:
    subprocess.run(
        [sys.executable, str(MAKER), str(path), str(claims)],
        check=True,
        capture_output=True,
        text=True,
    )


def expected_of(text: str) -> tuple[int, Decimal]:
    """Claims and the sum of CLP04, read plainly from the generated file."""
    element, terminator = text[3], text[105]
    count, paid = 0, Decimal(0)
    for seg in text.split(terminator):
        fields = seg.strip().split(element)
        if fields[0] == "CLP":
            count += 1
            paid += Decimal(fields[4])
    return count, paid


def select(tools: Sequence[Tool], only: Sequence[str] | None, skip: Sequence[str]) -> list[Tool]:
    chosen = [t for t in tools if (not only or t.name in only) and t.name not in skip]
    unknown = set(only or ()) - {t.name for t in tools}
    if unknown:
        names = ", ".join(t.name for t in tools)
        raise SystemExit(f"unknown tool(s): {', '.join(sorted(unknown))} (known: {names})")
    return chosen


def split_names(values: Sequence[str] | None) -> list[str]:
    return [n.strip() for v in values or () for n in v.split(",") if n.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 claims, 1 run")
    parser.add_argument("--claims", type=int, help="claims in the 835 (default 20000)")
    parser.add_argument("--runs", type=int, help="runs per tool (default 3)")
    parser.add_argument("--only", action="append", help="tool names, comma-separated")
    parser.add_argument("--skip", action="append", help="tool names to leave out")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results directory")
    parser.add_argument("--list", action="store_true", help="list the tools and exit")
    args = parser.parse_args(argv)

    tools = [*OURS, *PEERS]
    if args.list:
        for t in tools:
            state = "installed" if t.python.exists() else "not installed"
            print(f"{t.name:20} {t.kind:5} {state:14} {t.description}")
        return 0
    claims = args.claims or (2000 if args.quick else 20000)
    runs = args.runs or (1 if args.quick else 3)
    chosen = select(tools, split_names(args.only), split_names(args.skip))
    if not MAKER.exists():
        print(f"benchmark input generator not found: {MAKER}", file=sys.stderr)
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="x12bench-") as tmp:
        base = Path(tmp) / f"bench_{claims}.835"
        make_input(base, claims)
        text = base.read_text(encoding="ascii")
        expected = expected_of(text)
        inputs: dict[str | None, Path] = {None: base}
        for tool in chosen:
            if tool.variant and tool.variant not in inputs:
                variant_path = Path(tmp) / f"bench_{claims}.{tool.variant}.835"
                variant_path.write_text(VARIANTS[tool.variant](text), encoding="ascii")
                inputs[tool.variant] = variant_path
        info = {
            "claims": f"{claims:,}",
            "segments": f"{text.count(text[105]):,} segments",
            "size": f"{len(text) / 1e6:.1f} MB",
            "machine": machine(),
            "runs": str(runs),
            "date": time.strftime("%Y-%m-%d %H:%M"),
        }
        results = []
        for tool in chosen:
            print(f"… {tool.name}", file=sys.stderr, flush=True)
            result = time_tool(tool, inputs[tool.variant], runs, args.timeout, expected)
            shown = f"{result.wall:.3f} s" if result.wall is not None else result.status
            print(f"  {shown} {result.note}", file=sys.stderr, flush=True)
            results.append(result)
    versions = {t.name: tool_versions(t) for t in chosen}
    table = render(results, versions, info)
    print(table)
    (args.out / "results.md").write_text(table, encoding="utf-8")
    payload = {
        "info": info,
        "results": [
            {
                "tool": r.tool.name,
                "kind": r.tool.kind,
                "status": r.status,
                "times": r.times,
                "wall_median": r.wall,
                "peak_rss_mb": r.rss_mb,
                "output": r.output,
                "check": r.check,
                "note": r.note,
                "version": versions.get(r.tool.name, ""),
            }
            for r in results
        ],
    }
    (args.out / "results.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
