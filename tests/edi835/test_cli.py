"""The ``edi835`` command line as one program: every subcommand reachable from ``main``,
exit codes (0 done, 1 imbalance, 2 unreadable), outputs written where asked."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

import edi835
from _helpers import run_fresh, run_main
from edi835.cli import main
from edi835.fake import adjudicate, synthetic_claims
from edi835.writer import dumps


def _run(*argv: str) -> tuple[int, str, str]:
    return run_main(main, *argv)


@pytest.fixture(scope="module")
def remit(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("cli") / "x.835"
    path.write_text(dumps([adjudicate(synthetic_claims(6, seed=4), seed=4)]))
    return path


def test_empty_file_exits_2_with_a_located_message(tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "empty.835"
    empty.write_bytes(b"")
    for command in ("parse", "denials", "to-json"):
        code, _, err = _run(command, str(empty))
        assert code == 2, command
        assert "offset 0" in err and "EMPTY_INPUT" in err and "Traceback" not in err


def test_parse_table_lists_every_claim(remit: pathlib.Path) -> None:
    code, out, _ = _run("parse", str(remit))
    assert code == 0
    (rem,) = edi835.loads(remit.read_text())
    for claim in rem.claims:
        assert (claim.payer_claim_number or "-") in out


def test_parse_csv_streams_the_line_records_and_writes_nothing_on_failure(
    tmp_path: pathlib.Path,
) -> None:
    """``parse --format csv`` (no -o) writes the service lines' payment records as it reads
    them: the same rows as the whole read's, and no partial output when the read fails
    after some claims (strict)."""
    import csv
    import io

    from models.remittance_records import payment_records

    text = dumps([adjudicate(synthetic_claims(n, seed=n), seed=n) for n in (4, 5)])
    path = tmp_path / "two.835"
    path.write_text(text)
    code, out, err = _run("parse", str(path), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    lines = [r for r in payment_records(edi835.loads(text)) if r.level == "line"]
    assert len(rows) == len(lines) > 5
    got = [(r["payer_claim_number"], r["line_number"], r["paid"], r["kind"]) for r in rows]
    assert got == [(r.payer_claim_number, str(r.line_number), str(r.paid), r.kind) for r in lines]
    second = text.index("CLP*", text.index("~SE*"))
    path.write_text(text[:second] + "CLP*X*ZZ*" + text[second + 4 :])
    code, out, err = _run("parse", str(path), "--format", "csv", "--strict")
    assert code == 2 and out == "" and "CLP" in err


def test_parse_writes_the_six_tables_as_csv(remit: pathlib.Path, tmp_path: pathlib.Path) -> None:
    out_dir = tmp_path / "tables"
    code, _, err = _run("parse", str(remit), "--format", "csv", "-o", str(out_dir))
    assert code == 0, err
    names = {p.stem for p in out_dir.iterdir()}
    assert names == {
        "payments",
        "claims",
        "service_lines",
        "adjustments",
        "remarks",
        "provider_adjustments",
    }
    (rem,) = edi835.loads(remit.read_text())
    claim_rows = (out_dir / "claims.csv").read_text().strip().splitlines()
    assert len(claim_rows) == 1 + len(rem.claims)


def test_parse_parquet_without_a_directory_is_refused(remit: pathlib.Path) -> None:
    code, _, err = _run("parse", str(remit), "--format", "parquet")
    assert code == 2 and "--output-dir" in err


def test_report_writes_html(remit: pathlib.Path, tmp_path: pathlib.Path) -> None:
    html = tmp_path / "r.html"
    code, _, _ = _run("report", str(remit), "-o", str(html))
    assert code == 0
    text = html.read_text()
    assert text.lstrip().lower().startswith("<!doctype html")
    (rem,) = edi835.loads(remit.read_text())
    assert str(rem.trace_number) in text


def test_reconcile_is_a_subcommand(tmp_path: pathlib.Path) -> None:
    code, _, err = _run("reconcile", "--claims", str(tmp_path / "missing.837"))
    assert code == 2 and "reconcile" in err and "Traceback" not in err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in (
        "parse",
        "denials",
        "balance",
        "to-json",
        "from-json",
        "fake",
        "report",
        "reconcile",
    ):
        assert command in text


def test_a_closed_pipe_ends_quietly(tmp_path: pathlib.Path) -> None:
    """`edi835 parse F | head -1`: the reader goes away; no traceback, no error message."""

    remit = tmp_path / "big.835"
    remit.write_text(dumps([adjudicate(synthetic_claims(300, seed=1), seed=1)]))

    src = pathlib.Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    script = (
        "import sys; from edi835.cli import main; "
        f"sys.exit(main(['parse', {str(remit)!r}, '--format', 'json']))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # JSON of 300 claims is far more than a pipe's buffer
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_fake_takes_the_mix(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "m.835"
    code, _, _ = _run("fake", "--count", "200", "--seed", "3", "--denied", "0.5", "-o", str(path))
    assert code == 0
    (rem,) = edi835.loads(path.read_text())
    denied = sum(c.status == "4" for c in rem.claims)
    assert 0.4 <= denied / len(rem.claims) <= 0.6
    assert _run("balance", str(path))[0] == 0
    code, _, err = _run("fake", "--count", "5", "--denied", "2")
    assert code == 2 and "denied" in err


_IMPORTS = """
import json, sys
from edi835.cli import main
code = main(sys.argv[1:])
heavy = ("edi835.reconcile", "edi835.report", "edi835.validation", "models.claim")
print(json.dumps([code, [m for m in heavy if m in sys.modules]]))
"""


@pytest.mark.parametrize(
    ("argv", "imported"),
    [
        (["parse", "{remit}"], []),
        (["--no-progress", "balance", "{remit}"], []),
        (["validate", "{remit}"], ["edi835.validation"]),
        (["report", "{remit}", "-o", "{remit}.html"], ["edi835.report"]),
        (["reconcile", "--claims", "{remit}"], ["edi835.reconcile", "models.claim"]),
    ],
)
def test_a_command_imports_only_what_it_runs(
    remit: pathlib.Path, argv: list[str], imported: list[str]
) -> None:
    """A small command's run costs less than importing the claim models or the guide's
    tables: ``parse`` and the like do not import the modules of ``reconcile``, ``report`` and
    ``validate`` (whose arguments are then not defined); each of those imports its own."""
    _code, modules = run_fresh(_IMPORTS, *(w.format(remit=remit) for w in argv))
    assert modules == imported


@pytest.mark.parametrize("argv", [["nonesuch"], ["--help"], []])
def test_help_and_a_wrong_command_name_every_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    said = capsys.readouterr()
    text = said.out + said.err
    for name in ("parse", "report", "reconcile", "validate"):
        assert name in text


def test_denials_are_read_claim_by_claim_with_the_whole_reads_records(
    tmp_path: pathlib.Path,
) -> None:
    """``edi835 denials`` reads claim by claim (its records and issues are the whole read's)
    for every corpus 835 and a remittance with denials, damaged or not."""
    import io

    from _corpus import corpus_files
    from edi835.cli import _streamed_denials
    from models.remittance_records import denial_records
    from x12.errors import IssueLog, NothingRead

    text = dumps([adjudicate(synthetic_claims(30, seed=8), seed=8)])
    damaged = text.replace("CLP*", "CLP*X*", 2).replace("~LX*1~", "~LX*1~TS3*1~", 1)
    sources = [p.read_bytes() for p in corpus_files("835")] + [text.encode(), damaged.encode()]
    path = tmp_path / "r.835"
    for data in sources:
        log = IssueLog()
        want = denial_records(edi835.loads(data, log=log))
        path.write_bytes(data)
        err = io.StringIO()
        try:
            got = _streamed_denials(str(path), err, False, False, None)
        except NothingRead:  # no remittance, and errors: exit 2 (as the whole read gives)
            assert not want and log.errors
            continue
        assert got == want
        assert not log.issues or f"{len(log.issues)} issue(s)" in err.getvalue()
    assert any(denial_records(edi835.loads(s)) for s in sources)
