"""edi835.validate: generated remittances are valid; each deliberately broken remittance
(one rule broken) gives its finding at the right place; the corpus INVALID 835s give
errors; the 999 answering an 835 passes pyx12; the validate command."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import pathlib
import re
from collections.abc import Callable

import pytest

from _corpus import corpus_files
from _helpers import set_element
from edi835.cli import main
from edi835.fake import adjudicate, synthetic_claims
from edi835.validation import validate
from edi835.writer import dumps
from x12.pyx12_check import pyx12_available, validate_with_pyx12
from x12.validate import snip_level

TODAY = dt.date(2025, 1, 1)


def _text(seed: int = 2, count: int = 4) -> str:
    rem = adjudicate(synthetic_claims(count, seed=seed), seed=seed)
    return dumps([rem], timestamp=dt.datetime(2024, 5, 1, 10, 0))


@pytest.mark.parametrize("seed", range(5))
def test_generated_remittances_are_valid(seed: int) -> None:
    report = validate(_text(seed, 12), today=TODAY)
    assert report.findings == (), str(report)


_set = set_element


BROKEN = [
    # (name, mutation, code, SNIP type, element)
    ("line balance", _set("SVC*", 3, "90.00"), "LINE_UNBALANCED", 3, None),
    ("claim balance", _set("CLP*", 4, "230.00"), "CLAIM_UNBALANCED", 3, None),
    ("transaction balance", _set("BPR*", 2, "500.00"), "TRANSACTION_UNBALANCED", 3, None),
    ("denied paid", _set("CLP*", 4, "5.00", nth=3), "DENIED_CLAIM_PAID", 4, 4),
    ("payee npi", _set("N1*PE", 4, "1234567890"), "INVALID_NPI", 5, 4),
    ("procedure", _set("SVC*", 1, "HC:9X110"), "INVALID_PROCEDURE_CODE", 5, 1),
    ("remark", _set("LQ*HE", 2, "X418"), "INVALID_REMARK_CODE", 5, 2),
    ("carc", _set("CAS*", 2, "4555"), "INVALID_CARC", 5, 2),
    ("future service", _set("DTM*472", 2, "20300101"), "DATE_IN_FUTURE", 5, 2),
    ("bad date", _set("DTM*472", 2, "20240231"), "INVALID_DATE", 2, 2),
    ("code value", _set("CLP*", 2, "99"), "INVALID_CODE_VALUE", 2, 2),
]


@pytest.mark.parametrize(
    ("name", "mutation", "code", "snip", "element"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_each_broken_rule_is_found_where_it_is_broken(
    name: str, mutation: Callable[[list[str]], int], code: str, snip: int, element: int | None
) -> None:
    segs = [s for s in _text().split("~") if s]
    index = mutation(segs) + 1
    report = validate("~".join(segs) + "~", today=TODAY)
    hits = [f for f in report.findings if f.code == code]
    assert hits, f"{name}: {code} not in {[f.code for f in report.findings]}"
    f = hits[0]
    assert f.location is not None
    if code != "TRANSACTION_UNBALANCED":
        assert f.location.segment_index is not None
        assert abs(f.location.segment_index - index) <= 1, (name, str(f))
    if element is not None:
        assert f.location.element == element
    assert snip_level(f) == snip
    assert report.exit_code() == 1


INVALID = [p for p in corpus_files("835") if "INVALID" in p.name]


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_corpus_invalid_files_give_errors(path: pathlib.Path) -> None:
    report = validate(path.read_bytes())
    assert report.errors and all(f.location is not None for f in report.errors)


@pytest.mark.skipif(not pyx12_available(), reason="pyx12 not installed")
def test_999_for_an_835_passes_pyx12() -> None:
    segs = [s for s in _text().split("~") if s]
    _set("CLP*", 2, "99")(segs)
    bad = "~".join(segs) + "~"
    for text, status in ((_text(), "A"), (bad, "R")):
        ack = validate(text, today=TODAY).to_999()
        assert validate_with_pyx12(ack).passed
        assert f"IK5*{status}" in ack and "AK1*HP*" in ack


def test_command_line(tmp_path: pathlib.Path) -> None:
    good = tmp_path / "x.835"
    good.write_text(_text())
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["validate", str(good), "--format", "json"], out=out) == 0
    assert json.loads(out.getvalue())["ok"] is True
    bad = tmp_path / "bad.835"
    bad.write_text(re.sub(r"BPR\*C\*[0-9.]+", "BPR*C*1.00", _text()))
    with contextlib.redirect_stderr(err):
        assert main(["validate", str(bad)], out=io.StringIO()) == 1
