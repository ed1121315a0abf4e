"""x12.errors: the issue log's summary, as the command lines print it."""

from __future__ import annotations

from x12.errors import IssueLog, Location


def test_summary_lists_the_first_issues_and_counts_the_rest() -> None:
    log = IssueLog()
    assert log.summary("f.835") == []
    for i in range(23):
        log.warn("W", f"warning {i}", Location(segment_index=i, segment_id="CLP"))
    lines = log.summary("f.835")
    assert lines[0] == "23 issue(s) while reading f.835:"
    assert lines[1] == f"  {log.issues[0]}" and lines[20] == f"  {log.issues[19]}"
    assert lines[21:] == ["  ... and 3 more"]
    assert log.summary("f.835", shown=30)[1:] == [f"  {i}" for i in log.issues]


def test_report_read_prints_the_summary_and_refuses_a_read_that_gave_nothing() -> None:
    import io

    import pytest

    from x12.errors import NothingRead

    log = IssueLog()
    log.warn("W", "a warning")
    err = io.StringIO()
    log.report_read("f.835", 0, "remittance", err)  # warnings only: not refused
    assert err.getvalue().splitlines() == log.summary("f.835")
    log.report("E", "an error")
    log.report_read("f.835", 1, "remittance", io.StringIO())  # something was read
    with pytest.raises(NothingRead, match=r"^f\.835: no remittance could be read$"):
        log.report_read("f.835", 0, "remittance", io.StringIO())
