"""Make the hardening helpers (_targets, _mutate) importable by the tests here."""

from __future__ import annotations

import pathlib
import sys

import pytest

_HERE = str(pathlib.Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show how many examples each fuzz test tried (issue 10: "the fuzz tests in CI, with a
    count of examples tried"), also when pytest captures the tests' output."""
    from _targets import FUZZ_COUNTS

    if not FUZZ_COUNTS:
        return
    terminalreporter.section("hardening fuzz: examples tried")
    for name, count in sorted(FUZZ_COUNTS.items()):
        terminalreporter.write_line(f"{name}: {count} examples")
    terminalreporter.write_line(f"total: {sum(FUZZ_COUNTS.values())} examples")
