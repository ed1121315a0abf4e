"""Patient data stays out of error messages, issues, log records, reprs and CLI output.

Recognisable values (name ZZPHISENTINEL, member id PHI9999999, birth date 1911-11-11,
diagnosis Z9PHI) are planted in an 837P written by our writer; the file is then broken in
several ways and read leniently and strictly by every reader and the command lines.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import logging
import re
from typing import Any

import attrs
import pytest
from _targets import TARGETS, available

from x12.errors import IssueLog, X12Error, X12WriteError

NAME = "ZZPHISENTINEL"
MEMBER = "PHI9999999"
BIRTH = "19111111"
SENTINELS = (NAME, MEMBER, BIRTH, "ZZPHIFIRST")
TS = _dt.datetime(2026, 1, 2, 3, 4)


def _planted() -> str:
    edi837 = pytest.importorskip("edi837")
    fake = pytest.importorskip("edi837.fake")
    claim = fake.generate(1, seed=3)[0]
    sub = attrs.evolve(
        claim.subscriber,
        last_name=NAME,
        first_name="ZZPHIFIRST",
        member_id=MEMBER,
        birth_date=_dt.date(1911, 11, 11),
    )
    claim = attrs.evolve(claim, subscriber=sub)
    text: str = edi837.dumps(
        [claim], submitter=fake.submitter(), receiver=fake.receiver(), timestamp=TS
    )
    assert NAME in text and MEMBER in text and BIRTH in text
    return text


def _breakages(text: str) -> dict[str, str]:
    segs = text.split("~")
    nm1 = next(i for i, s in enumerate(segs) if s.startswith("NM1*IL"))
    dmg = next(i for i, s in enumerate(segs) if s.startswith("DMG"))

    def edit(i: int, new: str) -> str:
        return "~".join([*segs[:i], new, *segs[i + 1 :]])

    return {
        "truncated_after_name": "~".join(segs[: nm1 + 1]),
        "truncated_inside_name": text[: text.index(NAME) + 5],
        "name_segment_too_many_elements": edit(nm1, segs[nm1] + "*X" * 30),
        "name_in_segment_id": edit(nm1, NAME + segs[nm1][3:]),
        "member_id_as_segment_id": edit(nm1, MEMBER + "*" + NAME),
        "bad_birth_date": edit(dmg, segs[dmg].replace(BIRTH, BIRTH + "99")),
        "birth_date_format": edit(dmg, segs[dmg].replace("D8", "D9")),
        "name_as_qualifier": edit(nm1, segs[nm1].replace("NM1*IL", "NM1*" + NAME)),
        "dropped_se": "~".join(s for s in segs if not s.startswith("SE")),
        "name_binary": edit(nm1, segs[nm1].replace(NAME, NAME + "\x00\x01\xff")),
        "duplicated_name": edit(nm1, segs[nm1] + "~" + segs[nm1]),
    }


def _clean(where: str, text: str) -> None:
    for s in SENTINELS:
        assert s not in text, f"{s} leaked in {where}: {text[:300]!r}"


def test_readers_do_not_leak_patient_data(caplog: pytest.LogCaptureFixture) -> None:
    text = _planted()
    caplog.set_level(logging.DEBUG)
    checked = 0
    for name, broken in _breakages(text).items():
        for target in ("x12", "837", "835", "999", "277"):
            if available(target) is not None:
                continue
            try:
                TARGETS[target](broken.encode("latin-1"))
            except X12Error as exc:
                _clean(f"{target}/{name} str", str(exc))
                _clean(f"{target}/{name} repr", repr(exc))
                _clean(f"{target}/{name} args", repr(exc.args))
            checked += 1
        for strict in (False, True):
            log = IssueLog(strict=strict, collect=True)
            with contextlib.suppress(X12Error):
                _read_837(broken, log)
            for issue in log:
                _clean(f"837 issue {name}", str(issue) + repr(issue))
    for record in caplog.records:
        _clean("log record", record.getMessage())
    assert checked > 0


def _read_837(text: str, log: IssueLog) -> Any:
    reader = pytest.importorskip("edi837.reader")
    return reader.loads(text, log=log)


@pytest.mark.parametrize(("module", "command"), [("x12.cli", ["check"]), ("edi835.cli", ["parse"])])
def test_cli_output_does_not_leak_patient_data(
    module: str, command: list[str], tmp_path: Any
) -> None:
    import importlib

    main = importlib.import_module(module).main
    for name, broken in _breakages(_planted()).items():
        path = tmp_path / f"{name}.x12"
        path.write_bytes(broken.encode("latin-1"))
        out, err = io.StringIO(), io.StringIO()
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            contextlib.suppress(SystemExit),
        ):
            main([*command, str(path)])
        _clean(f"{module} {name} stderr", err.getvalue())
        if module == "x12.cli":
            _clean(f"{module} {name} stdout", out.getvalue())


def test_write_errors_do_not_echo_values() -> None:
    edi837 = pytest.importorskip("edi837")
    fake = pytest.importorskip("edi837.fake")
    claim = fake.generate(1, seed=3)[0]
    sub = attrs.evolve(claim.subscriber, last_name=NAME + "~", member_id=MEMBER + "*")
    with pytest.raises(X12WriteError) as info:
        edi837.dumps(
            [attrs.evolve(claim, subscriber=sub)],
            submitter=fake.submitter(),
            receiver=fake.receiver(),
            timestamp=TS,
        )
    _clean("837 write error", str(info.value) + repr(info.value))
    assert re.search(r"NM103|last_name", str(info.value))


# -- the show_values switch ------------------------------------------------------------------


def test_show_values_reveals_the_recorded_value_only_when_asked() -> None:
    """Off (the default) no sentinel is in any issue's text; on, the damaged segment id (the
    patient's name) shows in the issue that recorded it, and nothing else changes."""
    broken = _breakages(_planted())["name_in_segment_id"]
    hidden, shown = IssueLog(), IssueLog(show_values=True)
    for log in (hidden, shown):
        with contextlib.suppress(X12Error):
            _read_837(broken, log)
    assert list(hidden) == list(shown)  # the same findings, only their text differs
    for issue in hidden:
        _clean("issue without show_values", str(issue) + repr(issue))
    assert any(NAME in str(issue) for issue in shown)
    for issue in shown:
        _clean("repr with show_values", repr(issue))


def test_issue_and_error_keep_the_value_out_of_text_and_repr() -> None:
    import pickle

    from x12.errors import Issue, Location, Severity, X12ValueError, describe_value

    loc = Location(7, "NM1", "2010BA", 3)
    issue = Issue(Severity.ERROR, "BAD", "NM103 is bad", loc, "value", NAME)
    assert NAME not in str(issue) and NAME not in repr(issue) and "<hidden>" in repr(issue)
    assert issue.text(show_values=True).endswith(f"NM103 is bad (value {NAME!r}) [BAD]")
    error = issue.to_error()
    assert isinstance(error, X12ValueError) and error.value == NAME
    assert NAME not in str(error) + repr(error) + repr(error.args)
    shown = attrs.evolve(issue, show_values=True)
    assert shown == issue and NAME in str(shown) and NAME not in repr(shown)
    error = shown.to_error()
    assert NAME in str(error) and NAME not in repr(error)
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.value, again.code) == (str(error), NAME, "BAD")
    # a hostile value is cut and escaped
    long = describe_value("\x00" + "A" * 10_000)
    assert len(long) < 120 and "\\x00" in long and "10001 characters" in long
    with pytest.raises(X12Error) as caught:
        IssueLog(strict=True, show_values=True).report("BAD", "bad", loc, value=NAME)
    assert NAME in str(caught.value)
    with pytest.raises(X12Error) as caught:
        IssueLog(strict=True).report("BAD", "bad", loc, value=NAME)
    assert NAME not in str(caught.value) and caught.value.value == NAME


def test_x12_cli_show_values_switch(tmp_path: Any) -> None:
    """`x12 check|info --show-values` is accepted; without it no sentinel is printed."""
    from x12.cli import main

    path = tmp_path / "broken.x12"
    path.write_bytes(_breakages(_planted())["name_in_segment_id"].encode("latin-1"))
    for command in ("check", "info"):
        for flag in ([], ["--show-values"]):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main([command, *flag, str(path)])
            assert code in (0, 1)
            if not flag:
                _clean(f"x12 {command}", out.getvalue() + err.getvalue())


# -- the readers pass the offending value for --show-values -----------------------------
def test_x12_check_show_values_names_a_stray_segment_id(tmp_path: Any) -> None:
    """`x12 check --show-values` shows a stray segment's id (x12.envelope passes it as
    ``value=``); off, nothing shows."""
    import io

    from edi835.fake import adjudicate, synthetic_claims
    from edi835.writer import dumps
    from x12.cli import main

    text = dumps([adjudicate(synthetic_claims(1, seed=1), seed=1)], timestamp=TS)
    segs = text.split("~")
    segs.insert(2, "ZZPHISENTINEL*1")
    path = tmp_path / "stray.835"
    path.write_text("~".join(segs))
    shown = {}
    for flag in ([], ["--show-values"]):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["check", *flag, str(path)]) == 1
        shown[bool(flag)] = "ZZPHISENTINEL" in out.getvalue()
    assert shown == {False: False, True: True}


@pytest.mark.parametrize(
    ("edit", "code", "value"),
    [
        (("CLP*", "CLP*"), "UNEXPECTED_SEGMENT", "ZZPHISENTINEL"),
        (("SVC*", "SVC*"), "BAD_VALUE", "12X.00"),
    ],
)
def test_edi835_reader_passes_the_offending_value(
    edit: tuple[str, str], code: str, value: str
) -> None:
    """edi835's reader passes the offending value to the log: shown with show_values,
    hidden without it (the message itself never holds it)."""
    from edi835.fake import adjudicate, synthetic_claims
    from edi835.reader import loads
    from edi835.writer import dumps

    text = dumps([adjudicate(synthetic_claims(1, seed=1), seed=1)], timestamp=TS)
    segs = text.split("~")
    at = next(i for i, s in enumerate(segs) if s.lstrip().startswith(edit[0]))
    if code == "UNEXPECTED_SEGMENT":
        segs.insert(at + 1, f"{value}*1")
    else:
        elements = segs[at].split("*")
        elements[2] = value  # SVC02: the line charge
        segs[at] = "*".join(elements)
    broken = "~".join(segs)
    for show in (False, True):
        log = IssueLog(show_values=show)
        loads(broken, log=log)
        found = [i for i in log.issues if i.code == code]
        assert found, [i.code for i in log.issues]
        assert all(value not in i.message for i in found)
        assert (value in str(found[0])) is show
        assert found[0].value == value


def test_edi837_reader_passes_the_offending_value() -> None:
    """edi837's reader passes the offending NPI to the log (INVALID_NPI): shown with
    show_values, hidden without it."""
    import edi837
    from edi837 import fake

    claims = fake.generate(1, seed=5)
    text = edi837.dumps(claims, submitter=fake.submitter(), receiver=fake.receiver(), timestamp=TS)
    npi = claims[0].billing_provider.npi
    assert npi and f"*XX*{npi}" in text
    bad = npi[:-1] + str((int(npi[-1]) + 1) % 10)  # wrong check digit
    broken = text.replace(f"*XX*{npi}", f"*XX*{bad}", 1)
    for show in (False, True):
        log = IssueLog(show_values=show)
        edi837.loads(broken, log=log)
        found = [i for i in log.issues if i.code == "INVALID_NPI"]
        assert found, [i.code for i in log.issues]
        assert found[0].value == bad
        assert bad not in found[0].message
        assert (bad in str(found[0])) is show
