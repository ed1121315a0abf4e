"""Test remittances (fake) and the edi835 command line."""

from __future__ import annotations

import io
import json
import pathlib

import pytest

import edi835
from _corpus import corpus_files
from edi835.balance import balance
from edi835.cli import main
from edi835.fake import adjudicate, claims_from_837, synthetic_claims
from edi835.writer import dumps
from x12.pyx12_check import pyx12_available, validate_with_pyx12

CLAIM_FILES = [
    p
    for p in corpus_files("837p") + corpus_files("837i")
    if "INVALID" not in p.name and p.suffix in (".837", ".txt", ".837i", ".edi")
]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.mark.parametrize("seed", range(4))
def test_fake_is_balanced_valid_and_reproducible(seed: int) -> None:
    rem = adjudicate(synthetic_claims(25, seed=seed), seed=seed)
    assert balance([rem]).balanced
    text = dumps([rem])
    assert edi835.loads(text) == [rem]
    assert adjudicate(synthetic_claims(25, seed=seed), seed=seed) == rem
    if pyx12_available():
        assert validate_with_pyx12(text).findings == []


def test_fake_covers_the_payer_behaviours() -> None:
    claims = [c for s in range(3) for c in adjudicate(synthetic_claims(60, seed=s), seed=s).claims]
    statuses = {c.status for c in claims}
    assert {"1", "4", "22"} <= statuses
    reasons = {(a.group, a.reason) for c in claims for s in c.services for a in s.adjustments}
    assert {("CO", "45"), ("PR", "1"), ("PR", "2"), ("PR", "3")} <= reasons
    assert any(s.remarks for c in claims for s in c.services)


@pytest.mark.parametrize("path", CLAIM_FILES[:12], ids=[p.name for p in CLAIM_FILES[:12]])
def test_fake_from_corpus_837(path: pathlib.Path) -> None:
    claims, parties = claims_from_837(path.read_bytes())
    assert claims
    rem = adjudicate(claims, seed=7, parties=parties)
    assert [c.patient_control_number for c in rem.claims if c.status != "22"] == [
        c.patient_control_number for c in claims
    ]
    assert balance([rem]).balanced
    if pyx12_available():
        assert validate_with_pyx12(dumps([rem])).findings == []


def test_cli_fake_parse_balance_json(tmp_path: pathlib.Path) -> None:
    out835 = tmp_path / "f.835"
    assert run("fake", "--count", "8", "--seed", "3", "-o", str(out835))[0] == 0
    code, text = run("parse", str(out835))
    assert code == 0 and "Remittance 1" in text and "denial(s)" in text
    code, text = run("parse", str(out835), "--format", "csv")
    assert code == 0 and text.splitlines()[0].startswith("trace_number,")
    code, text = run("balance", str(out835))
    assert code == 0 and text.startswith("balanced")
    code, js = run("to-json", str(out835))
    assert code == 0 and json.loads(js)[0]["method"]
    jpath = tmp_path / "f.json"
    jpath.write_text(js)
    back = tmp_path / "back.835"
    assert run("from-json", str(jpath), "-o", str(back))[0] == 0
    assert edi835.loads(back.read_text()) == edi835.loads(out835.read_text())
    code, text = run("denials", str(out835), "--format", "csv")
    assert code == 0 and text.startswith("level,")


def test_cli_fake_from_837(tmp_path: pathlib.Path) -> None:
    if not CLAIM_FILES:
        pytest.skip("the shared corpus is absent")
    out835 = tmp_path / "o.835"
    assert run("fake", "--from", str(CLAIM_FILES[0]), "--seed", "1", "-o", str(out835))[0] == 0
    assert run("balance", str(out835))[0] == 0


def test_cli_unbalanced_and_errors(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = dumps([adjudicate(synthetic_claims(2, seed=1), seed=1)])
    bad = tmp_path / "bad.835"
    bad.write_text(text.replace("BPR*I*", "BPR*I*1").replace("BPR*C*", "BPR*C*1"))
    code, out = run("balance", str(bad))
    assert code == 1 and "NOT balanced" in out
    assert run("parse", str(tmp_path / "missing.835"))[0] == 2
    notx12 = tmp_path / "x.835"
    notx12.write_text("hello")
    assert run("parse", str(notx12))[0] == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "edi835:" in err
    assert run("from-json", str(notx12), "-o", str(tmp_path / "y.835"))[0] == 2
