"""Fuzz targets shared by the hardening tests and ``tools/fuzz.py``.

Each target takes bytes and calls public readers; the only exceptions allowed to escape are
:class:`x12.errors.X12Error` subclasses. The validator targets (``835v``, ``837v``, ``837iv``)
call ``validate()``, which promises never to raise on its input: an ``X12Error`` from it is
turned into a crash (:class:`ValidatorRaised`); they then ask the report for its 999 and TA1,
which may be refused with an ``X12Error`` (nothing to answer), never with another exception.
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib
from collections.abc import Callable
from typing import Any

from x12.errors import IssueLog, X12Error

Target = Callable[[bytes], object]


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _drain(it: Any) -> int:
    n = 0
    for _ in it:
        n += 1
    return n


def _x12(data: bytes) -> object:
    from x12.envelope import EnvelopeReader, read_interchanges
    from x12.tokenizer import tokenize

    tokenize(data)
    read_interchanges(data)
    reader = EnvelopeReader(data, log=IssueLog(strict=False, collect=True))
    for tx in reader.transactions():
        _drain(tx)
    return None


def _835(data: bytes) -> object:
    import io

    import edi835
    from edi835 import frames, json_io

    whole = edi835.loads(data)
    edi835.read(data)
    _drain(edi835.iter_remittances(data))
    _drain(edi835.iter_claims(data))
    # the claim-by-claim readers must give the whole read's records, JSON text and rows
    from models.remittance_records import denial_records, payment_records

    records = list(edi835.iter_payment_records(data))
    assert repr(records) == repr(payment_records(whole)), "iter_payment_records differs"
    tables = edi835.load_records(data)
    assert repr(tables["denials"]) == repr(denial_records(whole)), "load_records differs"
    assert repr(tables["claims"] + tables["service_lines"]) == repr(
        [r for r in records if r.level == "claim"] + [r for r in records if r.level == "line"]
    ), "load_records differs"
    text = io.StringIO()
    json_io.write_json(data, text)
    assert text.getvalue() == json_io.to_json(whole), "write_json differs from to_json"
    rows: dict[str, list[Any]] = {name: [] for name in frames.TABLES}
    for part in frames.iter_rows(data):
        for name, items in part.items():
            rows[name].extend(items)
    assert rows == frames.read_tables(data)[1], "iter_rows differs from read_tables"
    return None


def _837(data: bytes) -> object:
    import edi837

    edi837.loads(data)
    _drain(edi837.iter_claims(data))
    edi837.read(data)
    # the 837I and 837D streams (each reads the transactions of its own guide)
    edi837.loads_institutional(data)
    edi837.loads_dental(data)
    return None


def _999(data: bytes) -> object:
    from x12 import ack

    ack.read_999(data)
    ack.read_ta1(data)
    return None


def _277(data: bytes) -> object:
    from edi837 import status_277ca

    status_277ca.loads(data)
    return None


class ValidatorRaised(Exception):
    """validate() raised although it promises to report findings instead."""


def _never_raises(module: str, data: bytes) -> object:
    validate = importlib.import_module(module).validate
    try:
        report = validate(data)
    except Exception as exc:  # a harness's time-limit signal (a BaseException) passes through
        raise ValidatorRaised(f"{module}.validate raised {type(exc).__name__}: {exc}") from exc
    str(report)
    if report.readable:  # its answers may be refused (X12Error), never crash
        for answer in (report.to_999, report.to_ta1):
            try:
                answer()
            except X12Error:
                pass
            except Exception as exc:
                raise ValidatorRaised(
                    f"{module}: {answer.__name__} raised {type(exc).__name__}: {exc}"
                ) from exc
    return report


def _835v(data: bytes) -> object:
    return _never_raises("edi835.validation", data)


def _837v(data: bytes) -> object:
    return _never_raises("edi837.validation", data)


TARGETS: dict[str, Target] = {
    "x12": _x12,
    "835": _835,
    "837": _837,
    "999": _999,
    "277": _277,
    "835v": _835v,
    "837v": _837v,
    "837iv": _837v,
}


def available(name: str) -> str | None:
    """None when the target can run, else why not."""
    need = {
        "835": "edi835",
        "837": "edi837",
        "277": "edi837.status_277ca",
        "999": "x12.ack",
        "835v": "edi835.validation",
        "837v": "edi837.validation",
        "837iv": "edi837.validation",
    }
    mod = need.get(name)
    if mod is not None and _optional(mod) is None:
        return f"{mod} is not importable yet"
    return None


_TS = _dt.datetime(2026, 1, 2, 3, 4)


@functools.cache
def seed_835() -> bytes:
    from edi835.fake import adjudicate, synthetic_claims
    from edi835.writer import dumps

    return dumps([adjudicate(synthetic_claims(2, seed=1), seed=1)], timestamp=_TS).encode()


@functools.cache
def seed_837() -> bytes:
    from edi837 import dumps
    from edi837.fake import generate, receiver, submitter

    return dumps(
        generate(3, seed=2, every_loop=True),
        submitter=submitter(),
        receiver=receiver(),
        timestamp=_TS,
    ).encode()


def _corpus_first(folder: str, holding: bytes = b"") -> bytes | None:
    """The first valid corpus file of ``folder`` (that holds ``holding``)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / folder
    if not root.is_dir():
        return None
    for p in sorted(root.iterdir()):
        if p.is_file() and "INVALID" not in p.name and ".expected" not in p.name:
            data = p.read_bytes()
            if holding in data:
                return data
    return None


#: Examples tried by the fuzz tests of this session, by target (shown in the terminal
#: summary by conftest.py, so CI logs carry them even when output is captured).
FUZZ_COUNTS: dict[str, int] = {}


@functools.cache
def seed_999() -> bytes:
    data = _corpus_first("999")
    if data is not None:
        return data
    from x12.ack import acknowledge

    return acknowledge(seed_837()).encode() if callable(acknowledge) else b""


@functools.cache
def seed_277() -> bytes:
    return _corpus_first("277") or b""


@functools.cache
def seed_837i() -> bytes:
    return _corpus_first("837i", b"005010X223") or b""


def seed(name: str) -> bytes:
    """A valid file for the target (made by the libraries' writers where they exist, else
    the first valid corpus file; empty when there is none)."""
    if name in ("x12", "837", "837v"):
        return seed_837()
    seeds = {"835": seed_835, "835v": seed_835, "999": seed_999, "277": seed_277}
    return seeds.get(name, seed_837i)()
