"""The syntax layer against files other people wrote (../shared/corpus).

Every file not named INVALID reads: ``x12 info`` exits 0 (quirky files give warnings, never a
traceback). Every INVALID file ends in located messages and a non-zero ``x12 check``.
"""

from __future__ import annotations

import io
import pathlib
from contextlib import redirect_stderr, redirect_stdout

import pytest

from _corpus import CORPUS, corpus_files, corpus_manifest
from x12.cli import main
from x12.envelope import read_interchanges
from x12.errors import IssueLog, X12Error

FILES = corpus_files()
VALID = [p for p in FILES if "INVALID" not in p.name]
INVALID = [p for p in FILES if "INVALID" in p.name]


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


def _name(p: pathlib.Path) -> str:
    return f"{p.parent.name}/{p.name}"


@pytest.mark.skipif(not FILES, reason=f"the shared corpus is not at {CORPUS}")
def test_corpus_is_there() -> None:
    assert len(VALID) > 60 and len(INVALID) > 10


@pytest.mark.parametrize("path", VALID, ids=_name)
def test_valid_files_read(path: pathlib.Path) -> None:
    code, output = run("info", str(path))
    assert code == 0, output
    assert "Traceback" not in output
    assert "transaction" in output
    log = IssueLog()
    ics = read_interchanges(path.read_bytes(), log=log)
    assert sum(len(i.transactions) for i in ics) >= 1
    # The transaction count matches the manifest's n_ST column.
    row = corpus_manifest().get(_name(path))
    if row and row.get("n_ST", "").isdigit():
        assert sum(len(i.transactions) for i in ics) == int(row["n_ST"])


@pytest.mark.parametrize("path", VALID, ids=_name)
def test_valid_files_pass_lenient_check_or_say_why(path: pathlib.Path) -> None:
    code, output = run("check", "--lenient", str(path))
    if code != 0:
        # Only structural damage the lenient mode cannot excuse: name it.
        assert "error:" in output and ("MISSING_" in output), output


@pytest.mark.parametrize("path", INVALID, ids=_name)
def test_invalid_files_end_in_located_messages(path: pathlib.Path) -> None:
    code, output = run("check", str(path))
    assert "Traceback" not in output
    if code == 0:
        # Broken only at the implementation-guide level: the envelope is sound. These are
        # judged by the 837/835 validators, not by the syntax layer.
        pytest.skip("envelope and syntax are sound; the damage is in the guide's rules")
    assert code in (1, 2)
    assert "segment" in output  # every message is located
    try:
        read_interchanges(path.read_bytes(), strict=True)
    except X12Error as exc:
        assert exc.location is not None
