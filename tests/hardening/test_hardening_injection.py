"""No data value can forge a segment or an element in written output.

For every string field of the models the writers accept (an 835 remittance from
edi835.fake, 837P claims from edi837.fake with every optional loop), Hypothesis sets the
field to a value holding a delimiter or a control character: the model refuses it, or the
writer raises X12WriteError (with a located problem) before writing, or the value forges
nothing (the output has the segments it has with the value's letters and digits alone).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from _fields import Path, dotted, replace, string_fields
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from x12.errors import X12WriteError
from x12.tokenizer import tokenize

TS = _dt.datetime(2026, 1, 2, 3, 4)
SEPARATORS = "*:^~>|\n\r\x1d\x1e\x1f\x00\x07"


def hostile_values() -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, sep, b: f"{a}{sep}{b}",
        st.text("AB1", min_size=1, max_size=3),
        st.sampled_from([*list(SEPARATORS), "~NM1*QC*1*FORGED", "\u2028", "\x85"]),
        st.text("ZZ9", max_size=3),
    )


def _check(write: Any, original: str, obj: Any, path: Path, value: str, prefix: str) -> None:
    try:
        changed = replace(obj, path, value)
    except (ValueError, TypeError):
        return  # the model itself refuses the value
    try:
        out = write(changed)
    except X12WriteError as exc:
        assert exc.problems, dotted(path)
        return
    # Written without complaint: the value forged nothing. It is compared with the same
    # field set to the value's letters and digits alone: a field that groups segments (PLB01
    # does) changes how many are written whatever its value.
    plain = "".join(ch for ch in value if ch.isascii() and ch.isalnum())
    try:
        expected = len(tokenize(write(replace(obj, path, plain))))
    except (ValueError, TypeError, X12WriteError):
        expected = len(tokenize(original))
    assert len(tokenize(out)) == expected, (prefix, dotted(path), value)
    assert "FORGED" not in out


def _run(write: Any, obj: Any, prefix: str, examples: int) -> int:
    original = write(obj)
    paths = list(string_fields(obj))
    assert paths
    tried = 0

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.sampled_from(paths), hostile_values())
    def run(path: Path, value: str) -> None:
        nonlocal tried
        tried += 1
        _check(write, original, obj, path, value, prefix)

    run()
    # And every field once with a segment-forging value, deterministically.
    for path in paths:
        _check(write, original, obj, path, "A~NM1*QC*1*FORGED", prefix)
        tried += 1
    print(f"injection {prefix}: {len(paths)} string fields, {tried} examples")
    return tried


def test_835_writer_refuses_hostile_values() -> None:
    fake = pytest.importorskip("edi835.fake")
    writer = pytest.importorskip("edi835.writer")
    rem = fake.adjudicate(fake.synthetic_claims(2, seed=1), seed=1)
    assert _run(lambda r: writer.dumps([r], timestamp=TS), rem, "835", 200) > 0


def test_837_writer_refuses_hostile_values() -> None:
    edi837 = pytest.importorskip("edi837")
    fake = pytest.importorskip("edi837.fake")
    claim = fake.generate(1, seed=2, every_loop=True)[0]

    def write(c: Any) -> str:
        text: str = edi837.dumps(
            [c], submitter=fake.submitter(), receiver=fake.receiver(), timestamp=TS
        )
        return text

    assert _run(write, claim, "837P", 200) > 0


@pytest.mark.parametrize("guide", ["837I", "837D"])
def test_837i_and_837d_writers_refuse_hostile_values(guide: str) -> None:
    edi837 = pytest.importorskip("edi837")
    fake = pytest.importorskip("edi837.fake")
    if guide == "837I":
        made = pytest.importorskip("edi837.fake_institutional").generate(1, seed=2, every_loop=True)
        dumps = edi837.dumps_institutional
    else:
        made = pytest.importorskip("edi837.fake_dental").generate(1, seed=2)
        dumps = edi837.dumps_dental

    def write(c: Any) -> str:
        text: str = dumps([c], submitter=fake.submitter(), receiver=fake.receiver(), timestamp=TS)
        return text

    assert _run(write, made[0], guide, 150) > 0


def test_835_strategy_remittances_refuse_a_hostile_name() -> None:
    strategies = pytest.importorskip("models.strategies_remittance")
    writer = pytest.importorskip("edi835.writer")

    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategies.remittances(max_claims=2), hostile_values(), st.data())
    def run(rem: Any, value: str, data: st.DataObject) -> None:
        original = writer.dumps([rem], timestamp=TS)
        path = data.draw(st.sampled_from(list(string_fields(rem))))
        _check(lambda r: writer.dumps([r], timestamp=TS), original, rem, path, value, "835")

    run()
