"""edi835.frames.iter_rows: the tables streamed claim by claim, equal to the whole read's.

The reference is :func:`edi835.frames.read_tables` (the remittances read whole, then their
rows): concatenated table by table, the streamed parts must be its rows, in the same order,
with the same issues on the log, for every corpus file, damaged files and multi-transaction
files. A stream must also hold a batch, not the transaction.
"""

from __future__ import annotations

import io
import pathlib
from typing import Any

import pytest

from _corpus import corpus_files
from _damage import damaged_texts, peak
from _generated import write_835
from _helpers import collections_during
from edi835 import frames
from edi835.reader import iter_remittances_keyed
from x12.errors import IssueLog, X12Error

Tables = dict[str, list[dict[str, Any]]]
Outcome = tuple[tuple[str, str] | None, Tables | None, list[str]]


def _whole(data: bytes | str, strict: bool = False) -> Outcome:
    log = IssueLog(strict=strict)
    try:
        keyed = list(iter_remittances_keyed(data, log=log))
    except X12Error as exc:
        return (exc.code, str(exc.location)), None, [str(i) for i in log.issues]
    rows = frames.rows([r for _, r in keyed], file="f", controls=[c for c, _ in keyed])
    return None, rows, [str(i) for i in log.issues]


def _streamed(data: bytes | str, strict: bool = False) -> Outcome:
    log = IssueLog(strict=strict)
    out: Tables = {name: [] for name in frames.TABLES}
    try:
        for part in frames.iter_rows(data, file="f", log=log):
            assert list(part) == list(frames.TABLES)
            for name, rows in part.items():
                out[name].extend(rows)
    except X12Error as exc:
        return (exc.code, str(exc.location)), None, [str(i) for i in log.issues]
    return None, out, [str(i) for i in log.issues]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_files_stream_to_the_whole_reads_rows(path: pathlib.Path) -> None:
    """Every corpus file (835s, and the others' NOT_AN_835 reports): same rows, same issues,
    same fatal error."""
    data = path.read_bytes()
    assert _streamed(data) == _whole(data)


def test_several_transactions_lx_groups_and_plb() -> None:
    text = write_835(30, 7, 12)
    # two LX groups in the first transaction, and a PLB at its end
    first_lx = text.index("LX*1~")
    second_clp = text.index("CLP*", text.index("CLP*", first_lx) + 4)
    text = text[:second_clp] + "LX*2~" + text[second_clp:]
    se = text.index("~SE*")
    text = text[:se] + "~PLB*1234567893*20241231*L6:X*-12.50*WO*3" + text[se:]
    got, want = _streamed(text), _whole(text)
    assert got == want
    rows = want[1]
    assert rows is not None
    assert {r["group_number"] for r in rows["claims"]} >= {"1", "2"}
    assert len(rows["payments"]) == 3
    plb = {r["reason"] for r in rows["provider_adjustments"] if r["transaction_index"] == 0}
    assert {"L6", "WO"} <= plb
    assert [r["transaction_index"] for r in rows["payments"]] == [0, 1, 2]


def test_a_path_names_the_file_and_strict_raises_the_same(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "r.835"
    path.write_text(write_835(5))
    parts = list(frames.iter_rows(path))
    assert {r["file"] for p in parts for rows in p.values() for r in rows} == {"r.835"}
    bad = write_835(5).replace("CLP*", "CLP*X*", 1)  # an invalid CLP02: an error
    assert _streamed(bad, strict=True)[0] is not None
    assert _streamed(bad, strict=True) == _whole(bad, strict=True)


@pytest.mark.parametrize("seed", range(4))
def test_damaged_files_stream_to_the_whole_reads_rows(seed: int) -> None:
    """Segments dropped, copied, swapped, values changed: whatever the lenient reader makes
    of them, the streamed rows and issues are the whole read's."""
    for damaged, edits in damaged_texts(write_835(6, 4, seed=seed), seed, 60):
        assert _streamed(damaged) == _whole(damaged), edits


def test_a_large_transaction_is_read_a_batch_at_a_time() -> None:
    """A 3,000-claim transaction: parts come as it is read (the first before the end of
    the input), none holds more than a fraction of the claims, and the peak memory is far
    below the whole read's."""
    data = write_835(3000).encode("ascii")

    src = io.BytesIO(data)
    parts = frames.iter_rows(src, file="f")
    first = next(parts)
    assert src.tell() < len(data)  # the rest of the file is still unread
    sizes = [len(first["claims"])] + [len(p["claims"]) for p in parts]
    claims = len(frames.read_tables(data)[1]["claims"])
    assert claims >= 3000  # reversals and corrections come with some claims
    assert sum(sizes) == claims and len(sizes) > 3 and max(sizes) < claims // 4

    def whole() -> None:
        frames.read_tables(data)

    def streamed() -> None:
        for _ in frames.iter_rows(data):
            pass

    assert peak(streamed) * 3 < peak(whole)


def test_the_collector_stays_idle_while_rows_stream() -> None:
    """Each part is made with the collector paused (its batch read, its rows built) and
    handed out after it resumes, with the collector on in the caller's loop; what the caller
    lets go dies before it is scanned (42 young collections on these 2,000 claims before)."""
    parts, runs = collections_during(frames.iter_rows(write_835(2000).encode("ascii")))
    assert len(parts) > 5
    assert len(runs) <= 10, runs
