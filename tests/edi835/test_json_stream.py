"""edi835.json_io.write_json: the remittances' JSON written claim by claim, equal to the
whole read's ``to_json`` text (same bytes, same issues), and ``edi835 to-json`` on it.

The reference is :func:`edi835.json_io.to_json` of :func:`edi835.iter_remittances`: for every
corpus file, damaged files (segments dropped, copied, swapped, changed; LX, TS3, TS2, CLP, PLB
put anywhere) and several layouts (``indent``), the streamed text must be the same.
"""

from __future__ import annotations

import io
import pathlib
import random

import pytest

import edi835
from _corpus import corpus_files
from _damage import damage, peak
from _generated import write_835
from _helpers import run_main
from edi835 import json_io
from edi835.cli import main
from x12.errors import IssueLog, X12Error

Outcome = tuple[str, list[str]]


def _whole(data: bytes | str, indent: int | None = 2) -> Outcome:
    log = IssueLog()
    try:
        text = json_io.to_json(list(edi835.iter_remittances(data, log=log)), indent=indent)
    except X12Error as exc:
        text = f"raised {exc.code}"
    return text, [str(i) for i in log.issues]


def _streamed(data: bytes | str, indent: int | None = 2) -> Outcome:
    log = IssueLog()
    buf = io.StringIO()
    try:
        json_io.write_json(data, buf, log=log, indent=indent)
        text = buf.getvalue()
    except X12Error as exc:
        text = f"raised {exc.code}"
    return text, [str(i) for i in log.issues]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_files_stream_to_the_whole_reads_json(path: pathlib.Path) -> None:
    data = path.read_bytes()
    assert _streamed(data) == _whole(data)


@pytest.mark.parametrize("indent", [None, 0, 4])
def test_other_layouts(indent: int | None) -> None:
    text = write_835(4, 2)
    assert _streamed(text, indent) == _whole(text, indent)
    assert _streamed("", indent) == _whole("", indent)


#: Segments a damaged body gets somewhere: a group's start, its TS3/TS2, claims that read and
#: claims that do not (CLP03 not a number), a PLB, header segments out of place.
_EXTRA = (
    "LX*9",
    "TS3*1234567893*11*20241231*3*300",
    "TS2*1*2",
    "CLP*X*1*10*5",
    "CLP*A*9*Z*1",
    "PLB*1234567893*20241231*WO*5",
    "BPR*I*1*C*ACH",
    "N1*PR*X",
    "SVC*HC:99213*10*5",
    "CAS*CO*45*1",
)


@pytest.mark.parametrize("seed", range(3))
def test_damaged_files_stream_to_the_whole_reads_json(seed: int) -> None:
    """The reader's groups are the hard part: a group whose first CLPs fail keeps taking
    TS3, TS2 and unmapped segments after them (the corpus's perlx12 placeholder 835 does)."""
    segs = write_835(5, 3, seed=seed).split("~")
    head, body, tail = segs[:3], segs[3:-3], segs[-3:]
    rng = random.Random(seed)
    ops = ("drop", "copy", "swap", "value")
    for _ in range(80):
        b = body[:]
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.3:
                b.insert(rng.randrange(len(b) + 1), rng.choice(_EXTRA))
            else:
                damage(b, [(rng.choice(ops), rng.randrange(1000), rng.randrange(1000))])
        data = "~".join(head + b + tail)
        assert _streamed(data) == _whole(data), b


def test_written_as_read_in_bounded_memory() -> None:
    """Output starts before the input has been read to its end, and the peak memory is a
    fraction of the whole read's (the remittances, their plain data, the text)."""
    data = write_835(1500).encode("ascii")
    src = io.BytesIO(data)

    class Out(io.StringIO):
        read_at_first_write = -1

        def write(self, s: str) -> int:
            if self.read_at_first_write < 0 and "patient_control_number" in s:
                self.read_at_first_write = src.tell()
            return super().write(s)

    out = Out()
    json_io.write_json(src, out)
    assert 0 < out.read_at_first_write < len(data)

    def whole() -> None:
        json_io.to_json(edi835.loads(data))

    def streamed() -> None:
        json_io.write_json(data, io.StringIO())

    # the streamed run keeps its output in memory here (a StringIO), the whole one too
    assert peak(streamed) * 2 < peak(whole)


def test_to_json_command_streams_and_writes_nothing_on_failure(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "r.835"
    src.write_text(write_835(6, 2))
    out = tmp_path / "r.json"
    code, stdout, err = run_main(main, "to-json", str(src), "-o", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8") == _whole(src.read_bytes())[0] + "\n"
    code, stdout, _ = run_main(main, "parse", str(src), "--format", "json")
    assert code == 0 and stdout == out.read_text(encoding="utf-8")
    # an unreadable input: exit 2, the earlier output untouched, no temporary file left
    bad = tmp_path / "bad.835"
    bad.write_text("ISA*nothing else")
    before = out.read_bytes()
    code, _, err = run_main(main, "to-json", str(bad), "-o", str(out))
    assert code == 2 and "ISA" in err
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.835", "r.835", "r.json"]
    # never over the input, refused before it is read
    code, _, err = run_main(main, "to-json", str(src), "-o", str(src))
    assert code == 2 and "overwrite the input" in err and "issue(s)" not in err
