"""Generated 837 and 835 files shared by the tests that compare two ways of reading or checking
them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import edi837
from edi835 import fake as fake835
from edi835.writer import dumps as dumps835
from edi837 import fake, fake_dental, fake_institutional

PARTIES: dict[str, Any] = {
    "submitter": fake.submitter(),
    "receiver": fake.receiver(),
    "timestamp": dt.datetime(2024, 5, 1),
}


def write_837(kind: str, claims: int, seed: int, every_loop: bool = False) -> str:
    """An interchange of ``claims`` generated claims of ``kind`` (837P, 837I or 837D)."""
    if kind == "837P":
        return edi837.dumps(fake.generate(claims, seed=seed, every_loop=every_loop), **PARTIES)
    if kind == "837I":
        made = fake_institutional.generate(claims, seed=seed, every_loop=every_loop)
        return edi837.dumps_institutional(made, **PARTIES)
    return edi837.dumps_dental(fake_dental.generate(claims, seed=seed), **PARTIES)


def write_835(*claims: int, seed: int = 3) -> str:
    """An interchange of one generated remittance per item of ``claims`` (its claim count,
    before the reversals and corrections the generator adds to some)."""
    rems = [
        fake835.adjudicate(fake835.synthetic_claims(n, seed=seed + k), seed=seed + k)
        for k, n in enumerate(claims)
    ]
    return dumps835(rems, sender_id="PAYER", receiver_id="PROVIDER")
