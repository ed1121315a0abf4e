"""The ``edi837`` command line: fake, parse, to-json and from-json (round trip to the same
bytes), refusals with field paths (exit 1), unreadable input (exit 2), atomic output."""

from __future__ import annotations

import json
import pathlib

import pytest

import edi837
from _helpers import run_main
from edi837.cli import main
from x12.pyx12_check import pyx12_available, validate_with_pyx12

STAMP = "2024-05-01T10:00"


def _run(*argv: str) -> tuple[int, str, str]:
    return run_main(main, *argv)


@pytest.fixture(scope="module")
def fake_file(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("cli837") / "f.837"
    code, _, err = _run(
        "fake", "--count", "6", "--seed", "3", "--every-loop", "--timestamp", STAMP,
        "-o", str(path),
    )  # fmt: skip
    assert code == 0, err
    assert "6 professional claim(s)" in err
    return path


def test_fake_is_valid_and_reproducible(fake_file: pathlib.Path) -> None:
    code, out, _ = _run("fake", "--count", "6", "--seed", "3", "--every-loop", "--timestamp", STAMP)
    assert code == 0
    assert out == fake_file.read_text()
    assert len(edi837.loads(out)) == 6
    if pyx12_available():
        report = validate_with_pyx12(out)
        assert report.passed, str(report)


def test_parse_lists_every_claim(fake_file: pathlib.Path) -> None:
    code, out, _ = _run("parse", str(fake_file))
    assert code == 0
    claims = edi837.loads(fake_file.read_text())
    for c in claims:
        assert c.id in out
    assert out.rstrip().endswith(f"{len(claims)} claim(s)")


def test_json_round_trip_gives_the_same_bytes(
    fake_file: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    js = tmp_path / "f.json"
    back = tmp_path / "g.837"
    assert _run("to-json", str(fake_file), "-o", str(js))[0] == 0
    data = json.loads(js.read_text())
    assert isinstance(data, list) and set(data[0]) >= {"submitter", "receiver", "claims"}
    assert _run("from-json", str(js), "--timestamp", STAMP, "-o", str(back))[0] == 0
    assert back.read_text() == fake_file.read_text()


def test_from_json_takes_bare_claims(fake_file: pathlib.Path, tmp_path: pathlib.Path) -> None:
    js = tmp_path / "claims.json"
    code, out, _ = _run("parse", str(fake_file), "--format", "json")
    assert code == 0
    js.write_text(json.dumps(json.loads(out)[0]["claims"]))
    code, text, err = _run("from-json", str(js), "--receiver-id", "PAYERX", "--timestamp", STAMP)
    assert code == 0, err
    assert "*PAYERX" in text
    code, text, _ = _run("from-json", str(js), "--sender", "ISASENDER", "--usage", "P")
    assert code == 0 and "*ZZ*ISASENDER" in text and "*P*:~" in text
    assert edi837.loads(text) == edi837.loads(fake_file.read_text())


def test_refusal_prints_field_paths_and_exits_1(
    fake_file: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    code, out, _ = _run("to-json", str(fake_file))
    data = json.loads(out)
    data[0]["claims"][1]["charge"] = "1.00"  # no longer the sum of the line charges
    js = tmp_path / "bad.json"
    js.write_text(json.dumps(data))
    target = tmp_path / "out.837"
    code, _, err = _run("from-json", str(js), "-o", str(target))
    assert code == 1
    assert "claims[1].charge" in err
    assert not target.exists()  # nothing half-written


def test_unreadable_inputs_exit_2(tmp_path: pathlib.Path, fake_file: pathlib.Path) -> None:
    empty = tmp_path / "empty.837"
    empty.write_bytes(b"")
    for command in ("parse", "to-json"):
        code, _, err = _run(command, str(empty))
        assert code == 2 and "EMPTY_INPUT" in err and "Traceback" not in err
    code, _, err = _run("parse", str(tmp_path / "missing.837"))
    assert code == 2 and "Traceback" not in err
    notjson = tmp_path / "x.json"
    notjson.write_text("{")
    assert _run("from-json", str(notjson))[0] == 2
    # never over an input
    code, _, err = _run("to-json", str(fake_file), "-o", str(fake_file))
    assert code == 2 and fake_file.read_text().startswith("ISA")


def test_negative_count_is_refused() -> None:
    code, _, err = _run("fake", "--count", "-1")
    assert code == 2 and "--count" in err


@pytest.mark.parametrize(
    ("kind", "implementation"), [("dental", "005010X224A2"), ("institutional", "005010X223A2")]
)
def test_other_837_types_fake_parse_json_round_trip_and_validate(
    tmp_path: pathlib.Path, kind: str, implementation: str
) -> None:
    path = tmp_path / "d.837"
    code, _, err = _run(
        "fake", "--type", kind, "--count", "4", "--seed", "2", "--timestamp", STAMP,
        "-o", str(path),
    )  # fmt: skip
    assert code == 0 and f"4 {kind} claim(s)" in err
    assert implementation in path.read_text()
    code, out, _ = _run("parse", str(path))
    assert code == 0 and out.rstrip().endswith("4 claim(s)")
    js = tmp_path / "d.json"
    assert _run("to-json", str(path), "-o", str(js))[0] == 0
    back = tmp_path / "d2.837"
    assert _run("from-json", str(js), "--timestamp", STAMP, "-o", str(back))[0] == 0
    assert back.read_text() == path.read_text()
    code, out, _ = _run("validate", str(path))
    assert code == 0 and out.startswith("valid")


def test_show_values_is_opt_in(fake_file: pathlib.Path, tmp_path: pathlib.Path) -> None:
    text = fake_file.read_text().replace("~LX*1~", "~ZQX*1~LX*1~", 1)
    path = tmp_path / "odd.837"
    path.write_text(text)
    _, _, err = _run("parse", str(path))
    assert "ZQX" not in err and "UNEXPECTED_SEGMENT" in err
    _, _, err = _run("--show-values", "parse", str(path))
    assert "ZQX" in err


def test_fake_takes_the_mix() -> None:
    code, out, _ = _run("fake", "--count", "40", "--seed", "1", "--secondary", "1.0")
    assert code == 0
    claims = edi837.loads(out)
    assert claims and all(c.other_payers for c in claims)
    code, _, err = _run("fake", "--type", "dental", "--secondary", "0.5")
    assert code == 2 and "professional" in err


@pytest.mark.parametrize("kind", ["837P", "837I", "837D"])
def test_to_json_is_written_a_transaction_and_a_claim_at_a_time(
    kind: str, tmp_path: pathlib.Path
) -> None:
    """to-json and parse --format json stream the transactions (a claim at a time) into the
    text ``models.json.to_json`` gives the submissions read whole; nothing is written for an
    unreadable input."""
    from _generated import write_837
    from edi837.registry import GUIDES
    from models.json import to_json

    text = write_837(kind, 5, seed=4)
    st = text.index("ST*837*")
    se_end = text.index("~", text.index("~SE*") + 1) + 1
    two = text[:se_end] + text[st:se_end] + text[se_end:]  # the transaction twice
    src = tmp_path / "two.837"
    src.write_text(two)
    reader = next(e for e in GUIDES.values() if e.prefix in two[:400]).reader()
    want = to_json(list(reader(two))) + "\n"
    out = tmp_path / "two.json"
    code, _, err = _run("to-json", str(src), "-o", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8") == want
    assert len(json.loads(want)) == 2
    code, stdout, _ = _run("parse", str(src), "--format", "json")
    assert code == 0 and stdout == want
    bad = tmp_path / "bad.837"
    bad.write_text("ISA*nothing else")
    code, _, _ = _run("to-json", str(bad), "-o", str(tmp_path / "bad.json"))
    assert code == 2 and not (tmp_path / "bad.json").exists()
