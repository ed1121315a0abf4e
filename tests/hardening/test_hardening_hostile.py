"""Limits against abuse and hostile files: a located X12Error in bounded time and memory,
via the Python API and the command lines (non-zero exit, a location, no traceback)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import tracemalloc

import pytest
from _targets import TARGETS, available

from _corpus import corpus_files
from x12.envelope import EnvelopeReader, read_interchanges
from x12.errors import IssueLog, X12Error, X12LimitError
from x12.tokenizer import iter_segment_batches

ISA = (
    "ISA*00*          *00*          *ZZ*S              *ZZ*R              "
    "*260101*1200*^*00501*000000001*0*T*:~"
)


class _Endless(io.RawIOBase):
    """``head`` then ``fill`` repeated up to ``total`` bytes, never held in memory at once."""

    def __init__(self, head: bytes, fill: bytes, total: int) -> None:
        self.data = head
        self.fill = fill
        self.left = total

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        if self.left <= 0:
            return 0
        if not self.data:
            self.data = self.fill * (len(b) // len(self.fill) + 1)
        n = min(len(b), len(self.data), self.left)
        b[:n] = self.data[:n]
        self.data = self.data[n:]
        self.left -= n
        return n


def _bounded(make: object, *, seconds: float = 5.0, megabytes: int = 40) -> X12Error:
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(X12Error) as info:
            make()  # type: ignore[operator]
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.perf_counter() - t0 < seconds
    assert peak < megabytes * 1_000_000
    return info.value


def _stream(head: bytes, fill: bytes, total: int = 50_000_000) -> io.BufferedReader:
    return io.BufferedReader(_Endless(head, fill, total))


def _drain_batches(src: io.BufferedReader) -> None:
    for _ in iter_segment_batches(src):
        pass


def _drain_reader(src: io.BufferedReader) -> None:
    for tx in EnvelopeReader(src).transactions():
        for _ in tx:
            pass


@pytest.mark.parametrize("drain", [_drain_batches, _drain_reader])
def test_50mb_unterminated_segment_stops_quickly(drain: object) -> None:
    exc = _bounded(lambda: drain(_stream(ISA.encode(), b"A")))  # type: ignore[operator]
    assert isinstance(exc, X12LimitError)
    assert exc.location is not None and "segment 2" in str(exc)


@pytest.mark.parametrize("drain", [_drain_batches, _drain_reader])
def test_50mb_of_a_is_not_x12(drain: object) -> None:
    exc = _bounded(lambda: drain(_stream(b"A", b"A")))  # type: ignore[operator]
    assert exc.code == "NO_ISA" and "offset 0" in str(exc)


def test_millions_of_repetitions_in_one_element() -> None:
    head = (ISA + "GS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001~NM1*").encode()
    exc = _bounded(lambda: _drain_reader(_stream(head, b"A^")))
    assert isinstance(exc, X12LimitError) and exc.location is not None


def test_max_segment_length_is_configurable() -> None:
    text = ISA + "GS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001~NM1*" + "A" * 500 + "~"
    with pytest.raises(X12LimitError) as info:
        read_interchanges(text, max_segment_length=100)
    assert "max_segment_length=100" in str(info.value)


def test_millions_of_segments_without_st() -> None:
    exc = _bounded(lambda: _drain_reader(_stream(ISA.encode(), b"NM1*X~")), megabytes=80)
    assert exc.code == "TOO_MANY_STRAY_SEGMENTS" and "segment 10002 (NM1)" in str(exc)


def test_stray_segments_limit_is_configurable_and_reported_once_per_run() -> None:
    text = ISA + "NM1*X~" * 300 + "IEA*0*000000001~"
    log = IssueLog()
    read_interchanges(text, log=log)
    assert len([i for i in log if i.code == "SEGMENT_OUTSIDE_TRANSACTION"]) == 101
    with pytest.raises(X12LimitError):
        read_interchanges(text, max_stray_segments=50)


def test_issue_log_is_bounded() -> None:
    log = IssueLog(max_issues=3)
    for _ in range(3):
        log.warn("W", "w")
    with pytest.raises(X12LimitError) as info:
        log.warn("W", "w")
    assert info.value.code == "TOO_MANY_ISSUES"


def _hostile() -> dict[str, bytes]:
    deep_hl = "".join(f"HL*{i}*{i - 1 if i > 1 else ''}*22*1~" for i in range(1, 3001))
    body = "GS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~"
    return {
        "empty": b"",
        "whitespace": b" \r\n\t",
        "binary": bytes(range(256)) * 8,
        "utf16": ISA.encode("utf-16"),
        "only_isa": ISA.encode(),
        "isa_wrong_length": ISA.replace("*S     ", "*S").encode(),
        "isa_short": b"ISA*00*~",
        "isa_no_terminator": ISA[:-1].encode(),
        "huge_segment": (ISA + body + "NM1*" + "Z" * 2_000_000 + "~").encode(),
        "deep_hl": (ISA + body + "BHT*0019*00*1*20260101*1200*CH~" + deep_hl).encode(),
        "garbage_after_isa": ISA.encode() + bytes(range(1, 256)) * 4,
    }


HOSTILE = _hostile()
INVALID = [p for p in corpus_files() if "INVALID" in p.name]


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_api(target: str, name: str) -> None:
    why = available(target)
    if why is not None:
        pytest.skip(why)
    try:
        TARGETS[target](HOSTILE[name])
    except X12Error as exc:
        assert str(exc)  # a message; location checked where one exists
        if exc.location is not None:
            assert "segment" in str(exc) or "offset" in str(exc)


@pytest.mark.skipif(not INVALID, reason="the shared corpus is absent")
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_invalid_corpus_files_api(target: str) -> None:
    why = available(target)
    if why is not None:
        pytest.skip(why)
    for path in INVALID:
        try:
            TARGETS[target](path.read_bytes())
        except X12Error as exc:
            assert "Traceback" not in str(exc)


def _cli(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, runpy; runpy.run_module(sys.argv.pop(1), run_name='__main__')",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


_CLIS = [
    ("x12.cli", ["check"]),
    ("edi835.cli", ["parse"]),
    ("edi837.cli", ["to-json"]),
]


@pytest.mark.parametrize(("module", "command"), _CLIS)
def test_hostile_files_cli(module: str, command: list[str], tmp_path: object) -> None:
    import importlib.util
    import pathlib

    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} does not exist yet")
    folder = pathlib.Path(str(tmp_path))
    files = []
    for name in ("empty", "binary", "only_isa", "isa_short", "huge_segment", "isa_no_terminator"):
        p = folder / f"{name}.x12"
        p.write_bytes(HOSTILE[name])
        files.append(p)
    files += INVALID
    script = (
        "import sys, io, contextlib\n"
        f"from {module} import main\n"
        "for path in sys.argv[1:]:\n"
        "    err = io.StringIO(); out = io.StringIO()\n"
        "    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):\n"
        "        try:\n"
        f"            code = main({command!r} + [path])\n"
        "        except SystemExit as e:\n"
        "            code = e.code\n"
        "    print(repr(path), code, repr(err.getvalue()[:600]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert len(lines) == len(files), proc.stdout + proc.stderr
    failures = []
    for line in lines:
        path, code, err = line.split(" ", 2)
        if "Traceback" in err:
            failures.append(line)
        hostile = any(k in path for k in ("empty", "binary", "isa_short"))
        if code in ("0", "None") and hostile:
            failures.append("exit 0: " + line)
        if (
            code not in ("0", "None")
            and "INVALID" not in path
            and "segment" not in err
            and "offset" not in err
            and err != "''"
        ):
            failures.append("no location: " + line)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("data", [b"", b" \r\n\t\x00"])
def test_empty_input_is_recorded_not_silent(data: bytes) -> None:
    log = IssueLog()
    assert read_interchanges(data, log=log) == []
    assert [i.code for i in log] == ["EMPTY_INPUT"]
    with pytest.raises(X12Error) as info:
        read_interchanges(data, strict=True)
    assert "offset 0" in str(info.value)


def test_x12_cli_limit_is_configurable(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    import pathlib

    from x12.cli import main

    path = pathlib.Path(str(tmp_path)) / "long.x12"
    path.write_text(
        ISA + "GS*HC*S*R*20260101*1200*1*X*005010X222A1~ST*837*0001~NM1*" + "A" * 500 + "~"
    )
    assert main(["check", "--max-segment-length", "200", str(path)]) == 2
    err = capsys.readouterr().err
    assert "segment 4" in err and "max_segment_length=200" in err and "Traceback" not in err


_ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*260102*0304*^*00501*000000001*0*T*:~"
)


@pytest.mark.parametrize("isa16", ["\x00", "\n", "::"])
def test_a_duplicated_isa_with_a_damaged_isa16_ends(isa16: str) -> None:
    """Found by tools/fuzz.py (999, 277 and 837I validate targets): a second ISA whose ISA16
    is NUL or a line break made the tokenizer restart at that ISA forever (fixed in
    x12.tokenizer). Every reader and validate() must end, in a subprocess with a time limit
    so that a regression cannot hang the suite."""
    isa = _ISA.replace("*:~", f"*{isa16}~")
    data = (_ISA + isa + "GS*FA*S*R*20260102*0304*1*X*005010X231A1~").encode()
    script = (
        "import sys\n"
        "from _targets import TARGETS, available\n"
        "from x12.errors import X12Error\n"
        "data = sys.stdin.buffer.read()\n"
        "for name, target in TARGETS.items():\n"
        "    if available(name) is None:\n"
        "        try:\n"
        "            target(data)\n"
        "        except X12Error:\n"
        "            pass\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([*sys.path, os.environ.get("PYTHONPATH", "")]),
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-c", script],
            input=data,
            capture_output=True,
            timeout=60,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the readers ran for more than 60 s on a {len(data)}-byte input")
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
