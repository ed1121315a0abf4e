"""Regression tests for problems the hardening work found in others' code, now fixed.

Each test names where the fault was and how it showed; all run in the suite.
"""

from __future__ import annotations

import contextlib
import datetime as _dt

from x12.errors import X12Error

TS = _dt.datetime(2026, 1, 2, 3, 4)


# -- non-ASCII digits: str.isdigit() is True for '²', int('²') raises ValueError -----------
_ISA_TIME = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*260102*0304*^*00501*000000001*0*T*:~"
)


def test_validate_does_not_raise_on_a_superscript_digit_in_a_time() -> None:
    """Found by tools/fuzz.py (835v target, a byte 0xB2 read as Latin-1 in ISA10):
    x12/validate.py _valid_time checks ``v.isdigit()`` then calls ``int(v[:2])``; '²'
    passes isdigit() and int() refuses it, so validate() raises ValueError although it
    promises never to raise on its input. (``v.isascii() and v.isdigit()`` fixes it; the
    same pattern is in _valid_date, guarded there by a try.)"""
    from edi835.fake import adjudicate, synthetic_claims
    from edi835.validation import validate
    from edi835.writer import dumps

    text = dumps([adjudicate(synthetic_claims(1, seed=1), seed=1)], timestamp=TS)
    assert "*0304*" in text
    validate(text.replace("*0304*", "*03\u00b24*", 1))


def test_read_999_does_not_raise_on_a_superscript_digit() -> None:
    """x12/ack.py _opt_int: ``int(value) if value.isdigit() and len(value) <= 18`` raises
    ValueError for '²' (AK904 here), escaping read_999."""
    from x12 import ack

    data = (
        _ISA_TIME + "GS*FA*S*R*20260102*0304*1*X*005010X231A1~ST*999*0001*005010X231A1~"
        "AK1*HC*1*005010X222A1~AK2*837*0001~IK5*A~AK9*A*1*1*\u00b2~SE*6*0001~GE*1*1~"
        "IEA*1*000000001~"
    ).encode()
    with contextlib.suppress(X12Error):
        ack.read_999(data)
