"""The x12 command line on files the library writes."""

from __future__ import annotations

import datetime as dt
import io
import pathlib
from contextlib import redirect_stderr, redirect_stdout

from x12.cli import main
from x12.envelope import GroupSpec, InterchangeOptions, TransactionSpec, write_interchange


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


def written(tmp_path: pathlib.Path) -> pathlib.Path:
    tx = TransactionSpec(
        "835", "005010X221A1", [("BPR", ["I", "10", "C", "CHK"]), ("TRN", ["1", "X", "1"])]
    )
    text = write_interchange(
        [GroupSpec("HP", "005010X221A1", [tx])],
        InterchangeOptions(timestamp=dt.datetime(2024, 1, 1)),
    )
    path = tmp_path / "a.835"
    path.write_text(text)
    return path


def test_info(tmp_path: pathlib.Path) -> None:
    code, out = run("info", str(written(tmp_path)))
    assert code == 0
    assert "delimiters: element '*', component ':', repetition '^', segment '~'" in out
    assert "transaction 835 0001 (005010X221A1): 4 segments" in out


def test_check_clean_and_broken(tmp_path: pathlib.Path) -> None:
    path = written(tmp_path)
    assert run("check", str(path))[0] == 0
    path.write_text(path.read_text().replace("SE*4*", "SE*9*"))
    code, out = run("check", str(path))
    assert code == 1
    assert "segment 6 (SE), element 01" in out and "SE01_COUNT" in out
    assert run("check", "--lenient", str(path))[0] == 0


def test_format_one_segment_a_line(tmp_path: pathlib.Path) -> None:
    code, out = run("format", str(written(tmp_path)))
    assert code == 0
    assert out.splitlines()[2:4] == ["ST*835*0001*005010X221A1~", "BPR*I*10*C*CHK~"]


def test_unreadable_inputs_exit_2(tmp_path: pathlib.Path) -> None:
    assert run("info", str(tmp_path / "missing.x12"))[0] == 2
    junk = tmp_path / "junk"
    junk.write_bytes(b"\x00\xff" * 100)
    code, out = run("check", str(junk))
    assert code == 2 and "segment 1" in out
