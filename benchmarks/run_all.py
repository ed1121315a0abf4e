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
the median of the runs; peak RSS the process's own high-water mark (``VmHWM``, see ``run_once``).

Peers are the ``PEERS`` registry: scripts in ``benchmarks/peers/`` run with the interpreter of
``benchmarks/.venvs/<venv>``; a peer whose environment is missing is listed as "not installed".
Our own commands are the ``OURS`` registry, run with this interpreter and ``src`` on the path
(byte-compiled first, as pip compiles the peers at install); one that fails (an API that
has not landed yet) is listed as "not available". Nothing here raises because a tool is
absent or broken: the table says so.

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
    workload: str = "835-read"  # key of WORKLOADS: what is timed, on which input
    max_runs: int | None = None  # a slow tool runs at most this many times (pyx12 validation)


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
import json, sys, time
from decimal import Decimal
import edi835
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as fp:
    remittances = edi835.load(fp)
claims, paid = 0, Decimal(0)
for remittance in remittances:
    for claim in remittance.claims:
        claims += 1
        paid += claim.paid
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f"),
                  "work_s": time.perf_counter() - t0}))
"""

_OURS_RECORDS = """
import json, sys, time
from decimal import Decimal
import edi835
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as fp:
    tables = edi835.load_records(fp)
rows = tables["claims"]
claims, paid = 0, Decimal(0)
for row in rows:
    claims += 1
    paid += Decimal(row["paid"] if isinstance(row, dict) else row.paid)
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f"),
                  "work_s": time.perf_counter() - t0}))
"""

_OURS_STREAM = """
import json, sys, time
from decimal import Decimal
import edi835
t0 = time.perf_counter()
claims, paid = 0, Decimal(0)
with open(sys.argv[1], "rb") as fp:
    for _header, claim in edi835.iter_claims(fp):
        claims += 1
        paid += claim.paid
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f"),
                  "work_s": time.perf_counter() - t0}))
"""

_OURS_TOKENIZE = """
import json, sys, time
from decimal import Decimal
from x12.tokenizer import tokenize
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as fp:
    segments = tokenize(fp.read())
claims, paid = 0, Decimal(0)
for seg in segments:
    if seg[0] == "CLP":
        claims += 1
        paid += Decimal(seg[4])
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f"),
                  "work_s": time.perf_counter() - t0}))
"""

_OURS_TABLES = """
import json, sys, time
from decimal import Decimal
from pathlib import Path
from edi835 import frames
t0 = time.perf_counter()
_, tables = frames.read_tables(Path(sys.argv[1]))
rows = tables["claims"]
claims, paid = len(rows), sum((r["paid"] for r in rows), Decimal(0))
print(json.dumps({"claims": claims, "paid_total": format(paid.quantize(Decimal("0.01")), "f"),
                  "work_s": time.perf_counter() - t0}))
"""

_OURS_835_VALIDATE = """
import json, pathlib, sys, time
import edi835
t0 = time.perf_counter()
report = edi835.validate(pathlib.Path(sys.argv[1]))  # read as it is checked
print(json.dumps({"errors": len(report.errors), "segments": report.segments,
                  "work_s": time.perf_counter() - t0}))
"""

_OURS_837_READ = """
import json, sys, time
from decimal import Decimal
import edi837
t0 = time.perf_counter()
with open(sys.argv[1], "rb") as fp:
    claims = edi837.load(fp)
total = sum((c.charge for c in claims), Decimal(0))
print(json.dumps({"claims": len(claims), "total": format(total.quantize(Decimal("0.01")), "f"),
                  "work_s": time.perf_counter() - t0}))
"""

_OURS_837_STREAM = """
import json, sys, time
from decimal import Decimal
import edi837
t0 = time.perf_counter()
count, total = 0, Decimal(0)
with open(sys.argv[1], "rb") as fp:
    for claim in edi837.iter_claims(fp):
        count += 1
        total += claim.charge
print(json.dumps({"claims": count, "total": format(total.quantize(Decimal("0.01")), "f"),
                  "work_s": time.perf_counter() - t0}))
"""

# The write is timed in process (work_s: edi837.dumps alone); the whole process also builds the
# claims with the generator that made the input, so the text written must equal the input.
_OURS_837_WRITE = """
import datetime as dt, json, os, sys, time
from decimal import Decimal
import edi837
from edi837 import fake
claims = fake.generate(int(os.environ["X12BENCH_CLAIMS"]), seed=int(os.environ["X12BENCH_SEED"]))
t0 = time.perf_counter()
text = edi837.dumps(claims, submitter=fake.submitter(), receiver=fake.receiver(),
                    timestamp=dt.datetime(2024, 5, 1, 10, 0))
work = time.perf_counter() - t0
with open(sys.argv[1], encoding="ascii") as fp:
    same = fp.read() == text
total = sum((c.charge for c in claims), Decimal(0))
print(json.dumps({"claims": len(claims), "total": format(total.quantize(Decimal("0.01")), "f"),
                  "same_text": same, "work_s": work}))
"""

_OURS_837_VALIDATE = """
import json, pathlib, sys, time
import edi837
t0 = time.perf_counter()
report = edi837.validate(pathlib.Path(sys.argv[1]))  # read as it is checked
print(json.dumps({"errors": len(report.errors), "segments": report.segments,
                  "work_s": time.perf_counter() - t0}))
"""

# Peers on the 837P, inline (each library's documented read, run with its environment's python).
_PEER_OPENX12_837 = """
import json, sys
from decimal import Decimal
from openx12 import x837p
with open(sys.argv[1], encoding="utf-8") as fp:
    parsed = x837p.parse(fp.read())
claims = parsed.claims
total = sum((Decimal(str(c.get("amount", 0))) for c in claims), Decimal(0))
print(json.dumps({"claims": len(claims), "total": format(total.quantize(Decimal("0.01")), "f")}))
"""

_PEER_PYX12_837 = """
import json, sys
from decimal import Decimal
import pyx12.error_handler, pyx12.params, pyx12.x12context
count, total = 0, Decimal(0)
with open(sys.argv[1], encoding="ascii") as fp:
    reader = pyx12.x12context.X12ContextReader(
        pyx12.params.params(), pyx12.error_handler.errh_null(), fp)
    for node in reader.iter_segments("2300"):
        if node.id == "2300":
            count += 1
            total += Decimal(node.get_value("CLM02") or 0)
print(json.dumps({"claims": count, "total": format(total.quantize(Decimal("0.01")), "f")}))
"""

_PEER_PYX12_VALIDATE = """
import io, json, sys
import pyx12.params, pyx12.x12n_document
with open(sys.argv[1], encoding="ascii") as fp:
    ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), fp, io.StringIO(), None, None)
print(json.dumps({"valid": bool(ok)}))
"""


def inline_peer(
    name: str,
    venv: str,
    description: str,
    code: str,
    *,
    workload: str,
    versions: tuple[str, ...],
    max_runs: int | None = None,
) -> Tool:
    python = VENVS / venv / "bin" / "python"
    return Tool(
        name=name,
        kind="peer",
        description=description,
        argv=lambda path: [str(python), "-c", code, str(path)],
        python=python,
        versions=versions,
        workload=workload,
        max_runs=max_runs,
    )


PEERS += [
    inline_peer(
        "openx12",
        "openx12",
        "x837p.parse: dicts",
        _PEER_OPENX12_837,
        workload="837-read",
        versions=("openx12",),
    ),
    inline_peer(
        "pyx12",
        "pyx12",
        "X12ContextReader: 2300 loop trees (validates as it walks)",
        _PEER_PYX12_837,
        workload="837-read",
        versions=("pyx12",),
        max_runs=1,
    ),
    inline_peer(
        "pyx12-validate",
        "pyx12",
        "x12n_document: the map-driven validation (one run: it is slow)",
        _PEER_PYX12_VALIDATE,
        workload="835-validate",
        versions=("pyx12",),
        max_runs=1,
    ),
    inline_peer(
        "pyx12-validate",
        "pyx12",
        "x12n_document: the map-driven validation (one run: it is slow)",
        _PEER_PYX12_VALIDATE,
        workload="837-validate",
        versions=("pyx12",),
        max_runs=1,
    ),
]


def compile_sources() -> None:
    """Byte-compile ``src`` (its ``__pycache__`` folders), whatever PYTHONDONTWRITEBYTECODE says."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], env=env, check=True
    )


def ours(name: str, description: str, code: str, workload: str = "835-read") -> Tool:
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
        workload=workload,
    )


OURS: list[Tool] = [
    ours("x12-claims", "edi835.load: typed Remittance models", _OURS_MODELS),
    ours("x12-claims-stream", "edi835.iter_claims: typed claims, streamed", _OURS_STREAM),
    ours("x12-claims-records", "edi835.load_records: claims table rows", _OURS_RECORDS),
    ours("x12-tokenize", "x12.tokenizer.tokenize alone (the floor)", _OURS_TOKENIZE),
    ours("x12-claims-tables", "edi835.frames.read_tables: the six tables' rows", _OURS_TABLES),
    ours(
        "x12-claims-validate",
        "edi835.validate of the path: SNIP 1-5 checks",
        _OURS_835_VALIDATE,
        workload="835-validate",
    ),
    ours("x12-claims", "edi837.load: typed Claim models", _OURS_837_READ, workload="837-read"),
    ours(
        "x12-claims-stream",
        "edi837.iter_claims: typed claims, streamed",
        _OURS_837_STREAM,
        workload="837-read",
    ),
    ours(
        "x12-claims",
        "edi837.dumps of generated claims (in-process s: dumps alone)",
        _OURS_837_WRITE,
        workload="837-write",
    ),
    ours(
        "x12-claims-validate",
        "edi837.validate of the path: SNIP 1-5 checks",
        _OURS_837_VALIDATE,
        workload="837-validate",
    ),
]


@dataclass(frozen=True)
class Workload:
    """What a table times: its title, the input (835 or 837P) and how outputs are checked."""

    title: str
    input: str  # "835" or "837"
    check: str  # "claims" (count and total), "errors" (none, all segments), "valid", "write"


WORKLOADS: dict[str, Workload] = {
    "835-read": Workload("835 read", "835", "claims"),
    "835-validate": Workload("835 validation", "835", "errors"),
    "837-read": Workload("837P read", "837", "claims"),
    "837-write": Workload("837P write", "837", "write"),
    "837-validate": Workload("837P validation", "837", "errors"),
}


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
    work_times: list[float] = field(default_factory=list)  # in-process times ("work_s")

    @property
    def wall(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def work(self) -> float | None:
        return statistics.median(self.work_times) if self.work_times else None


def _peak_rss_mb(pid: int) -> float:
    """The peak RSS of process ``pid`` so far (VmHWM, Linux), in MB; 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fp:
            for line in fp:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def run_once(
    argv: list[str], env: dict[str, str], timeout: float
) -> tuple[int, float, float, str, str]:
    """Run a command as a whole process: (exit code, wall s, peak RSS MB, stdout, stderr).

    Peak RSS: on Linux, the process's own high-water mark (``VmHWM``), read while it runs,
    every 2 ms (Popen returns once the command is exec'd, so the mark is the command's).
    ``ru_maxrss`` from ``wait4`` is not used there: Linux carries the parent's peak into a
    child across fork and exec, so no command would show less than this harness (about 67
    MB). Elsewhere ``ru_maxrss``."""
    full_env = {**os.environ, **env}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=full_env
        )
        deadline = start + timeout
        status = None
        usage = None
        hwm = 0.0
        while True:
            hwm = max(hwm, _peak_rss_mb(proc.pid))
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
        if hwm:  # Linux: the process's own peak (ru_maxrss counts this harness's, see above)
            rss_mb = hwm
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


Expected = tuple[int, Decimal] | dict[str, object]


def check_output(output: dict[str, object], expected: Expected) -> str:
    """ "ok", or what differs from ``expected``: a (claims, CLP04 total) pair for the 835 read,
    else a dict of the values a command may print (``claims``, ``total`` (CLM02), ``errors``,
    ``segments``, ``valid``, ``same_text``); the keys a command prints are compared, and it
    must print at least one."""
    if isinstance(expected, tuple):
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
    common = [k for k in expected if k in output]
    if not common:
        return f"printed none of {', '.join(expected)}"
    problems = []
    for key in common:
        want, got_value = expected[key], output[key]
        if isinstance(want, Decimal):
            try:
                same = Decimal(str(got_value)) == want
            except InvalidOperation:
                same = False
        else:
            same = got_value == want
        if not same:
            problems.append(f"{key} {got_value} != {want}")
    return "ok" if not problems else "; ".join(problems)


def time_tool(tool: Tool, path: Path, runs: int, timeout: float, expected: Expected) -> Result:
    if not tool.python.exists():
        return Result(tool, "not installed", note="run benchmarks/peers/setup_peers.sh")
    result = Result(tool, "ok")
    for _ in range(min(runs, tool.max_runs or runs)):
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
        work = output.get("work_s")
        if isinstance(work, int | float):
            result.work_times.append(float(work))
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
    """The markdown document: the machine and run, then one table per workload timed."""
    lines = [
        "# x12-claims benchmarks",
        "",
        f"Machine: {info['machine']}.  ",
        f"Run: {info['date']}, wall time median of {info['runs']} run(s) of each whole process "
        "(start, import, the work, a walk of the result); *in-process s* is the work alone as "
        "the command timed it (our commands); peak RSS of the process. Ratios are time ÷ the "
        "reference's time (below 1 = faster than it).",
    ]
    for key, workload in WORKLOADS.items():
        group = [r for r in results if r.tool.workload == key]
        if group:
            lines += ["", *render_workload(key, workload, group, versions, info)]
    return "\n".join(lines) + "\n"


def render_workload(
    key: str,
    workload: Workload,
    results: Sequence[Result],
    versions: dict[str, str],
    info: dict[str, str],
) -> list[str]:
    ok = [r for r in results if r.status == "ok" and r.wall is not None]
    pure = [r for r in ok if r.tool.kind == "peer" and r.tool.pure_python]
    fastest_pure = min(pure, key=lambda r: r.wall or 0.0) if pure else None
    native = key == "835-read"
    ref = next((r for r in ok if r.tool.reference), None)
    ref_pure = fastest_pure.wall if fastest_pure else None
    ref_native = ref.wall if ref else None
    pure_name = fastest_pure.tool.name if fastest_pure else "fastest pure-Python peer"
    native_name = ref.tool.name if ref else "oxedi"
    source = info.get(f"input_{workload.input}", "")
    head = f"| tool | what is timed | wall s (median) | in-process s | peak RSS MB | ÷ {pure_name} "
    rule = "|---|---|---:|---:|---:|---:|"
    if native:
        head += f"| ÷ {native_name} "
        rule += "---:|"
    lines = [f"## {workload.title}: {source}", "", head + "| check | version |", rule + "---|---|"]
    order = {"ok": 0, "failed": 1, "timeout": 1, "not available": 2, "not installed": 3}
    ranked = sorted(
        results,
        key=lambda r: (order.get(r.status, 9), r.wall if r.wall is not None else 0.0),
    )
    for r in ranked:
        version = versions.get(r.tool.name, "")
        if r.status == "ok":
            wall = fmt_seconds(r.wall)
            work = fmt_seconds(r.work)
            rss = f"{r.rss_mb:.0f}" if r.rss_mb is not None else "–"
            row = (
                f"| {r.tool.name} | {r.tool.description} | {wall} | {work} | {rss} "
                f"| {fmt_ratio(r.wall, ref_pure)} "
            )
            if native:
                row += f"| {fmt_ratio(r.wall, ref_native)} "
            lines.append(row + f"| {r.check} | {version} |")
        else:
            note = r.note.replace("|", "\\|")
            dashes = "| – | – | – | – " if native else "| – | – | – "
            lines.append(
                f"| {r.tool.name} | {r.tool.description} | {r.status} {dashes}"
                f"| {note} | {version} |"
            )
    return lines


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


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


#: The 837P input: the library's generator, a fixed seed and timestamp (the write row makes the
#: same text again and checks it is identical).
SEED_837 = 1
_MAKE_837 = """
import datetime as dt, sys
import edi837
from edi837 import fake
text = edi837.dumps(fake.generate(int(sys.argv[2]), seed=int(sys.argv[3])),
                    submitter=fake.submitter(), receiver=fake.receiver(),
                    timestamp=dt.datetime(2024, 5, 1, 10, 0))
with open(sys.argv[1], "w", encoding="ascii", newline="") as fp:
    fp.write(text)
"""


def make_input_837(path: Path, claims: int) -> None:
    src = str(ROOT / "src")
    env = {**os.environ, "PYTHONPATH": src}
    subprocess.run(
        [sys.executable, "-c", _MAKE_837, str(path), str(claims), str(SEED_837)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )


def expected_of_837(text: str) -> tuple[int, Decimal]:
    """Claims and the sum of CLM02, read plainly from the generated file."""
    element, terminator = text[3], text[105]
    count, total = 0, Decimal(0)
    for seg in text.split(terminator):
        fields = seg.strip().split(element)
        if fields[0] == "CLM":
            count += 1
            total += Decimal(fields[2])
    return count, total


def segment_count(text: str) -> int:
    return sum(1 for seg in text.split(text[105]) if seg.strip())


def transaction_segments(text: str) -> int:
    """Segments inside transaction sets (ST..SE): what a validation report counts."""
    element = text[3]
    envelope = {"ISA", "GS", "GE", "IEA"}
    return sum(
        1
        for seg in text.split(text[105])
        if seg.strip() and seg.strip().split(element, 1)[0] not in envelope
    )


def st03_count(text: str) -> int:
    """835 transactions carrying ST03, which 005010X221A1 marks not used: the shared bench
    835 has one, and a validator is right to report it (the one error expected there)."""
    element = text[3]
    return sum(
        1
        for seg in text.split(text[105])
        if seg.strip().startswith(f"ST{element}") and len(seg.strip().split(element)) > 3
    )


def select(
    tools: Sequence[Tool],
    only: Sequence[str] | None,
    skip: Sequence[str],
    workloads: Sequence[str] | None = None,
) -> list[Tool]:
    unknown = set(only or ()) - {t.name for t in tools}
    if unknown:
        names = ", ".join(sorted({t.name for t in tools}))
        raise SystemExit(f"unknown tool(s): {', '.join(sorted(unknown))} (known: {names})")
    bad = set(workloads or ()) - set(WORKLOADS)
    if bad:
        raise SystemExit(
            f"unknown workload(s): {', '.join(sorted(bad))} (known: {', '.join(WORKLOADS)})"
        )
    return [
        t
        for t in tools
        if (not only or t.name in only)
        and t.name not in skip
        and (not workloads or t.workload in workloads)
    ]


def split_names(values: Sequence[str] | None) -> list[str]:
    return [n.strip() for v in values or () for n in v.split(",") if n.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 claims, 1 run")
    parser.add_argument("--claims", type=int, help="claims in the 835 and the 837P (20000)")
    parser.add_argument("--runs", type=int, help="runs per tool (default 3)")
    parser.add_argument("--only", action="append", help="tool names, comma-separated")
    parser.add_argument("--skip", action="append", help="tool names to leave out")
    parser.add_argument(
        "--workloads",
        action="append",
        help=f"comma-separated, of: {', '.join(WORKLOADS)} (default all)",
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results directory")
    parser.add_argument("--list", action="store_true", help="list the tools and exit")
    args = parser.parse_args(argv)

    tools = [*OURS, *PEERS]
    if args.list:
        for t in tools:
            state = "installed" if t.python.exists() else "not installed"
            print(f"{t.workload:13} {t.name:20} {t.kind:5} {state:14} {t.description}")
        return 0
    claims = args.claims or (2000 if args.quick else 20000)
    runs = args.runs or (1 if args.quick else 3)
    chosen = select(
        tools, split_names(args.only), split_names(args.skip), split_names(args.workloads)
    )
    needs = {WORKLOADS[t.workload].input for t in chosen}
    if "835" in needs and not MAKER.exists():
        print(f"benchmark input generator not found: {MAKER}", file=sys.stderr)
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    info = {
        "claims": f"{claims:,}",
        "machine": machine(),
        "runs": str(runs),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    # The write row regenerates the 837P's claims with the same generator arguments.
    os.environ["X12BENCH_CLAIMS"] = str(claims)
    os.environ["X12BENCH_SEED"] = str(SEED_837)
    with tempfile.TemporaryDirectory(prefix="x12bench-") as tmp:
        inputs: dict[tuple[str, str | None], Path] = {}
        expected: dict[str, Expected] = {}
        if "835" in needs:
            base = Path(tmp) / f"bench_{claims}.835"
            make_input(base, claims)
            text = base.read_text(encoding="ascii")
            inputs["835", None] = base
            expected["835-read"] = expected_of(text)
            st03 = st03_count(text)
            expected["835-validate"] = {
                "errors": st03,
                "segments": transaction_segments(text),
                "valid": st03 == 0,
            }
            info["input_835"] = (
                f"{claims:,} claims ({segment_count(text):,} segments, {len(text) / 1e6:.1f} MB; "
                "the shared bench 835)"
            )
            for tool in chosen:
                if tool.variant and ("835", tool.variant) not in inputs:
                    variant_path = Path(tmp) / f"bench_{claims}.{tool.variant}.835"
                    variant_path.write_text(VARIANTS[tool.variant](text), encoding="ascii")
                    inputs["835", tool.variant] = variant_path
        if "837" in needs:
            path_837 = Path(tmp) / f"bench_{claims}.837"
            make_input_837(path_837, claims)
            text_837 = path_837.read_text(encoding="ascii")
            inputs["837", None] = path_837
            count, total = expected_of_837(text_837)
            expected["837-read"] = {"claims": count, "total": total}
            expected["837-write"] = {"claims": count, "total": total, "same_text": True}
            expected["837-validate"] = {
                "errors": 0,
                "segments": transaction_segments(text_837),
                "valid": True,
            }
            info["input_837"] = (
                f"{count:,} claims ({segment_count(text_837):,} segments, "
                f"{len(text_837) / 1e6:.1f} MB; edi837.fake.generate({claims}, seed={SEED_837}))"
            )
        # Our source runs from the repository, and a machine may forbid writing bytecode
        # (PYTHONDONTWRITEBYTECODE): byte-compile it first (into src's __pycache__, which
        # git ignores), as pip does at install for the peers, so no run times the compiler.
        compile_sources()
        results = []
        for tool in chosen:
            workload = WORKLOADS[tool.workload]
            print(f"… {tool.workload} {tool.name}", file=sys.stderr, flush=True)
            path = inputs[workload.input, tool.variant]
            result = time_tool(tool, path, runs, args.timeout, expected[tool.workload])
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
                "workload": r.tool.workload,
                "tool": r.tool.name,
                "kind": r.tool.kind,
                "status": r.status,
                "times": r.times,
                "wall_median": r.wall,
                "work_times": r.work_times,
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
