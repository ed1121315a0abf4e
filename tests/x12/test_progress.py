"""x12.progress: the command lines' progress bar appears on a terminal, never in a pipe, never
touches standard output, and tqdm is imported only when a bar may be shown."""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import pathlib
import pty
import select
import struct
import subprocess
import sys
import termios

import pytest

from x12.progress import CountingReader, add_progress_options, peek, wanted

SRC = pathlib.Path(__file__).resolve().parents[2] / "src"
BAR = "B/s"  # tqdm's rate unit for a bar counting bytes


@pytest.fixture(scope="module")
def remittance(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    from edi835.fake import adjudicate, synthetic_claims
    from edi835.writer import dumps

    rem = adjudicate(synthetic_claims(400, seed=3), seed=3)
    path = tmp_path_factory.mktemp("progress") / "big.835"
    path.write_text(dumps([rem], timestamp=dt.datetime(2026, 1, 2, 3, 4)))
    return path


def _env(delay: str = "0") -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env["X12_PROGRESS_DELAY"] = delay
    env.pop("COLUMNS", None)
    return env


def _piped(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )


def _on_a_terminal(args: list[str]) -> tuple[int, str]:
    """Run with stdout and stderr on a pseudo-terminal; (exit code, all it printed)."""
    master, slave = pty.openpty()
    # A new pseudo-terminal reports 0 x 0; a real one has a size (tqdm draws to its width).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=_env(),
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=120)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_wanted() -> None:
    tty_like = type("T", (), {"isatty": lambda self: True})()
    assert wanted(None, io.StringIO(), io.StringIO()) is False
    assert wanted(None, tty_like, io.StringIO()) is False  # both must be terminals
    assert wanted(None, tty_like, tty_like) is True
    assert wanted(True, io.StringIO(), io.StringIO()) is True
    assert wanted(False, tty_like, tty_like) is False


def test_options() -> None:
    import argparse

    p = argparse.ArgumentParser()
    add_progress_options(p)
    assert p.parse_args([]).progress is None
    assert p.parse_args(["--progress"]).progress is True
    assert p.parse_args(["--no-progress"]).progress is False
    with pytest.raises(SystemExit):
        p.parse_args(["--progress", "--no-progress"])


def test_peek_replays_and_counting_counts() -> None:
    data = bytes(range(256)) * 100
    seen: list[int] = []
    counted = CountingReader(io.BytesIO(data), seen.append)
    head, stream = peek(counted, 1000)
    assert head == data[:1000]
    again = stream.read(10) + stream.read(5000) + stream.read()
    assert again == data
    assert sum(seen) == len(data)


def test_no_bar_and_no_tqdm_in_a_pipe(remittance: pathlib.Path) -> None:
    code = (
        "import sys\nfrom edi835.cli import main\n"
        f"rc = main(['parse', {str(remittance)!r}])\n"
        "print('TQDM' if 'tqdm' in sys.modules else 'NO-TQDM', rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert proc.stdout.rstrip().endswith("NO-TQDM 0"), proc.stderr
    assert BAR not in proc.stderr and "%|" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["edi835.cli", "parse"],
        ["edi835.cli", "balance"],
        ["x12.cli", "check"],
    ],
)
def test_bar_on_a_terminal_and_the_same_output(args: list[str], remittance: pathlib.Path) -> None:
    piped = _piped([*args, str(remittance)])
    assert piped.returncode == 0, piped.stderr
    assert BAR not in piped.stderr
    code, shown = _on_a_terminal([*args, str(remittance)])
    assert code == 0
    assert BAR in shown and remittance.name in shown
    # The bar is erased and stdout is unchanged: every line of the piped output is there.
    lines = [ln for ln in piped.stdout.splitlines() if ln.strip()]
    assert lines
    printed = shown.replace("\r\n", "\n")
    assert all(ln in printed for ln in lines[:5] + lines[-5:])


def test_forced_on_in_a_pipe_and_off_on_a_terminal(remittance: pathlib.Path) -> None:
    plain = _piped(["edi835.cli", "parse", str(remittance)])
    forced = _piped(["edi835.cli", "--progress", "parse", str(remittance)])
    assert BAR in forced.stderr
    assert forced.stdout == plain.stdout
    code, shown = _on_a_terminal(["edi835.cli", "--no-progress", "parse", str(remittance)])
    assert code == 0 and BAR not in shown


def test_837_bar_sniffs_the_type_from_the_stream(tmp_path: pathlib.Path) -> None:
    """edi837 reads the file as a stream: its type (here 837I) is sniffed from the first
    bytes, which the reader then reads again."""
    from edi837.cli import main

    path = tmp_path / "claims.837"
    args = ["fake", "--type", "institutional", "--count", "150", "--seed", "2", "-o", str(path)]
    assert main(args, out=io.StringIO()) == 0
    plain = _piped(["edi837.cli", "parse", str(path)])
    forced = _piped(["edi837.cli", "--progress", "parse", str(path)])
    assert plain.returncode == 0, plain.stderr
    assert "issue" not in plain.stderr  # read as an 837I, not as an 837P with skips
    assert forced.stdout == plain.stdout and BAR in forced.stderr
