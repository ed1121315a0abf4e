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


def _with_element(text: str, seg_id: str, position: int, value: str) -> str:
    """``text`` with element ``position`` of its first ``seg_id`` segment set to ``value``."""
    for seg in text.split("~"):
        parts = seg.strip().split("*")
        if parts[0] == seg_id:
            parts += [""] * (position + 1 - len(parts))
            parts[position] = value
            return text.replace(seg.strip(), "*".join(parts), 1)
    raise AssertionError(f"no {seg_id} in the text")


def test_837p_read_does_not_fail_on_a_superscript_diagnosis_pointer() -> None:
    """edi837/reader.py _sv1 checked SV107's pointers with ``p.isdigit()`` then ``int(p)``:
    '²' made int() raise, and the whole read failed with "837 reader could not read the
    input (ValueError)". The SV1 is now kept unmapped and the line reported."""
    import edi837
    from edi837 import fake

    text = edi837.dumps(
        fake.generate(1, seed=1), submitter=fake.submitter(), receiver=fake.receiver(), timestamp=TS
    )
    result = edi837.read(_with_element(text, "SV1", 7, "\u00b2"))
    assert [i.code for i in result.issues] == ["MISSING_SV1"]
    assert [u.id for u in result.claims[0].service_lines[0].unmapped] == ["SV1"]


def test_837d_read_does_not_fail_on_a_superscript_diagnosis_pointer() -> None:
    """edi837/dental_reader.py: the same check on SV311 (pointers 1-4)."""
    import edi837
    from edi837 import fake, fake_dental

    text = edi837.dumps_dental(
        fake_dental.generate(3, seed=4),
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=TS,
    )
    assert edi837.loads_dental(text)  # the file reads before the change
    claims = edi837.loads_dental(_with_element(text, "SV3", 11, "\u00b2"))
    assert any(u.id == "SV3" for c in claims for ln in c.service_lines for u in ln.unmapped)


# -- line separators outside C0: NEL (U+0085), U+2028, U+2029 -------------------------------
def test_writers_refuse_unicode_line_separators_and_c1_controls() -> None:
    """Found by test_hardening_injection (835 strategy, CI of 2026-11-23): x12/segment.py
    refused C0 controls and DEL only, so ``PLB*1\\u2028*...`` was written. NEL and the
    Unicode line/paragraph separators are not X12 data, and str.splitlines() (and tools
    like it) break lines there. The writers now refuse them with the field's path, as they
    refuse a line feed; other non-ASCII text (an accented name) is still written."""
    import attrs
    import pytest

    from edi835.fake import adjudicate, synthetic_claims
    from edi835.writer import dumps
    from models.remittance import ProviderAdjustment
    from x12.errors import X12WriteError

    rem = adjudicate(synthetic_claims(2, seed=1), seed=1)
    for sep in ("\u2028", "\u2029", "\x85", "\x9f"):
        plb = ProviderAdjustment(
            provider_id="1" + sep,
            fiscal_period_end=_dt.date(2001, 12, 31),
            reason="FB",
            amount=rem.amount * 0,
        )
        with pytest.raises(X12WriteError) as raised:
            dumps([attrs.evolve(rem, provider_adjustments=(plb,))], timestamp=TS)
        assert [p for p, _ in raised.value.problems] == [
            "remittances[0].provider_adjustments[0].provider_id"
        ]
    named = attrs.evolve(rem, payer=attrs.evolve(rem.payer, name="CAFÉ"))
    assert "CAFÉ" in dumps([named], timestamp=TS)
