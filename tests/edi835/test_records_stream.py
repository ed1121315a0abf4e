"""edi835.records streams: iter_payment_records and load_records equal the whole read's.

The reference is the remittances read whole (:func:`edi835.reader.iter_remittances`), then
:func:`models.remittance_records.payment_records` / ``denial_records`` and their PLBs: the
streamed records must be the same, in the same order, with the same issues on the log, for
every corpus file, damaged files, and files whose claims pair as reversals and corrections
in every way the rule allows. A stream must hold a batch, not the transaction.
"""

from __future__ import annotations

import io
import pathlib
import random
from collections.abc import Callable
from typing import Any

import pytest

import edi835
from _corpus import corpus_files
from _damage import damaged_texts, peak
from _generated import write_835
from _helpers import collections_during
from edi835.reader import iter_remittances
from models.remittance import Remittance
from models.remittance_records import CodeDescriptions, denial_records, payment_records
from x12.errors import IssueLog, X12Error

_DESC = CodeDescriptions(carc={"45": "fee schedule", "29": "late", "2": "coinsurance"})
Outcome = tuple[tuple[str, str] | None, Any, list[str]]


def _outcome(read: Callable[[IssueLog], Any]) -> Outcome:
    """``read(log)``'s result, or the error it raised, with the issues on the log."""
    log = IssueLog()
    try:
        got = read(log)
    except X12Error as exc:
        return (exc.code, str(exc.location)), None, [str(i) for i in log.issues]
    return None, got, [str(i) for i in log.issues]


def _tables(rems: list[Remittance]) -> dict[str, list[Any]]:
    """``load_records``' tables, from remittances read whole."""
    recs = payment_records(rems)
    return {
        "claims": [r for r in recs if r.level == "claim"],
        "service_lines": [r for r in recs if r.level == "line"],
        "denials": denial_records(rems, _DESC),
        "provider_adjustments": [(r.trace_number, p) for r in rems for p in r.provider_adjustments],
    }


def _same(data: bytes | str) -> None:
    # repr, not ==: Decimal("1.0") == Decimal("1.00"), and the text must be the same too
    whole_records = _outcome(lambda log: payment_records(list(iter_remittances(data, log=log))))
    streamed_records = _outcome(lambda log: list(edi835.iter_payment_records(data, log=log)))
    assert repr(streamed_records) == repr(whole_records)
    whole_tables = _outcome(lambda log: _tables(list(iter_remittances(data, log=log))))
    streamed_tables = _outcome(lambda log: edi835.load_records(data, log=log, descriptions=_DESC))
    assert repr(streamed_tables) == repr(whole_tables)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_files_stream_to_the_whole_reads_records(path: pathlib.Path) -> None:
    """Every corpus file (835s, and the others' NOT_AN_835 reports): same records, tables,
    issues and fatal error."""
    _same(path.read_bytes())


def _paired(text: str, rng: random.Random) -> str:
    """``text`` with most CLPs given one of three patient control numbers (CLP01), and many
    of them made reversals (CLP02 = 22): reversals answered at once, later, never, twice."""
    segs = text.split("~")
    for i, seg in enumerate(segs):
        if seg.startswith("CLP*") and rng.random() < 0.7:
            el = seg.split("*")
            el[1] = rng.choice(("P1", "P2", "P3"))
            if rng.random() < 0.45:
                el[2] = "22"
            segs[i] = "*".join(el)
    return "~".join(segs)


@pytest.mark.parametrize("seed", range(6))
def test_reversals_and_corrections_pair_as_in_the_whole_read(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        text = _paired(write_835(rng.randint(1, 12), rng.randint(0, 8), seed=seed), rng)
        _same(text)
    kinds = {r.kind for r in edi835.iter_payment_records(text)}
    assert kinds <= {"original", "reversal", "correction"}


@pytest.mark.parametrize("seed", range(3))
def test_damaged_files_stream_to_the_whole_reads_records(seed: int) -> None:
    text = _paired(write_835(6, 4, seed=seed), random.Random(seed))
    for damaged, _ in damaged_texts(text, seed, 50):
        _same(damaged)


def test_strict_raises_the_whole_reads_error_after_the_records_before_it() -> None:
    text = write_835(5, 4)
    second = text.index("CLP*", text.index("~SE*"))  # a CLP of the second transaction
    bad = text[:second] + "CLP*X*ZZ*" + text[second + 4 :]
    got: list[Any] = []
    with pytest.raises(X12Error) as streamed:
        for rec in edi835.iter_payment_records(bad, strict=True):
            got.append(rec)
    with pytest.raises(X12Error) as whole:
        list(iter_remittances(bad, strict=True))
    assert (streamed.value.code, str(streamed.value.location)) == (
        whole.value.code,
        str(whole.value.location),
    )
    assert len(got) > 5  # the first transaction's records, at least
    assert got == list(edi835.iter_payment_records(bad))[: len(got)]
    with pytest.raises(X12Error) as loaded:
        edi835.load_records(bad, strict=True)
    assert str(loaded.value) == str(whole.value)


def test_a_large_transaction_is_read_a_batch_at_a_time() -> None:
    """A 3,000-claim transaction: the first record comes before the input is read to its
    end, and the peak memory is far below the whole read's."""
    data = write_835(3000).encode("ascii")
    src = io.BytesIO(data)
    records = edi835.iter_payment_records(src)
    first = next(records)
    assert first.level == "claim"
    assert src.tell() < len(data)  # the rest of the file is still unread
    assert 1 + sum(1 for _ in records) == len(payment_records(list(iter_remittances(data))))

    def whole() -> None:
        for rem in iter_remittances(data):
            for _ in payment_records([rem]):
                pass

    def streamed() -> None:
        for _ in edi835.iter_payment_records(data):
            pass

    assert peak(streamed) * 3 < peak(whole)


def test_the_collector_stays_idle_and_is_on_while_the_caller_runs() -> None:
    """Each batch's records are made with the collector paused and handed out after it
    resumes: the caller's code runs with it on, and the models and records, dead by the
    next batch, are never scanned (41 young collections on these 2,000 claims when they
    were made with it on)."""
    data = write_835(2000).encode("ascii")
    records, runs = collections_during(edi835.iter_payment_records(data))
    assert len(records) > 4000
    assert len(runs) <= 10, runs
