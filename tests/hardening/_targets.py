"""Fuzz targets shared by the hardening tests and ``tools/fuzz.py``.

Each target takes bytes and calls one public reader (or validator); the only exceptions
allowed to escape are :class:`x12.errors.X12Error` subclasses.
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib
from collections.abc import Callable
from typing import Any

from x12.errors import IssueLog

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
    import edi835

    edi835.loads(data)
    edi835.read(data)
    _drain(edi835.iter_remittances(data))
    _drain(edi835.iter_claims(data))
    return None


def _837(data: bytes) -> object:
    import edi837

    edi837.loads(data)
    _drain(edi837.iter_claims(data))
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


TARGETS: dict[str, Target] = {"x12": _x12, "835": _835, "837": _837, "999": _999, "277": _277}


def available(name: str) -> str | None:
    """None when the target can run, else why not."""
    need = {"835": "edi835", "837": "edi837", "277": "edi837.status_277ca", "999": "x12.ack"}
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


def _corpus_first(folder: str) -> bytes | None:
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / folder
    if not root.is_dir():
        return None
    for p in sorted(root.iterdir()):
        if p.is_file() and "INVALID" not in p.name and ".expected" not in p.name:
            return p.read_bytes()
    return None


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


def seed(name: str) -> bytes:
    """A valid file for the target (made by the libraries' writers where they exist)."""
    if name in ("x12", "837"):
        return seed_837()
    return {"835": seed_835, "999": seed_999, "277": seed_277}[name]()
